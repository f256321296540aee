/**
 * The intent engine's public surface: translate a request, check a command, run it. `ask`,
 * `codex plan --apply`, the TUI's ask bar and the HTTP API all come through here.
 */
export {
  type AskDeps,
  type AskRequest,
  type AskResult,
  type AskStatus,
  ask,
  EXIT_CODE_OF_STATUS,
} from './ask.js';
export { type AuditEntry, appendAudit, auditFile } from './audit.js';
export {
  type Command,
  type CommandSource,
  commandLine,
  type Risk,
  type Target,
  type Tool,
} from './command.js';
export { type IntentContext, sanitizeContext } from './context.js';
export { type GatherOptions, gatherContext } from './context-source.js';
export type { SshDestination } from './execute-ssh.js';
export {
  type AccessGrant,
  checkArgv,
  checkCommand,
  type PolicyContext,
  type PolicyVerdict,
} from './policy.js';
export { loadPolicyContext } from './policy-context.js';
export { classify, riskOf } from './risk.js';
export {
  type Confirm,
  type ConfirmRequest,
  DEFAULT_TIMEOUT_MS,
  type RunOptions,
  type RunOutcome,
  type RunStatus,
  runCommand,
} from './run-command.js';
export { LLM_COMMAND_SCHEMA, translateWithLlm } from './translate-llm.js';
export { type Translation, translateOffline } from './translate-offline.js';
