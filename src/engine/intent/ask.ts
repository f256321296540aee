import { randomUUID } from 'node:crypto';
import type { Client } from 'ssh2';
import { isKittenError } from '../errors.js';
import { isLlmError } from '../llm/errors.js';
import type { LlmProvider } from '../llm/provider.js';
import type { SshConnectOptions } from '../ssh/connect.js';
import { formatSshTarget, type SshTarget } from '../ssh/target.js';
import { appendAudit, auditFile, currentUser } from './audit.js';
import { type Command, commandLine, type Risk, type Target, type Tool } from './command.js';
import type { IntentContext } from './context.js';
import { type GatherOptions, gatherContext } from './context-source.js';
import type { SshDestination } from './execute-ssh.js';
import type { PolicyContext } from './policy.js';
import { type Confirm, runCommand } from './run-command.js';
import { translateWithLlm } from './translate-llm.js';
import { type Translation, translateOffline } from './translate-offline.js';

/**
 * `kitten ask` as an engine function: intent → (context) → translation → policy → confirmation
 * → execution → one structured result. The HTTP API and the TUI call this too.
 */
export type AskStatus =
  | 'PLANNED'
  | 'SUCCESS'
  | 'FAILURE'
  | 'TIMEOUT'
  | 'REJECTED'
  | 'NOT_CONFIRMED'
  | 'UNSUPPORTED'
  | 'LLM_ERROR'
  | 'CONFIG_ERROR';

/** The JSON `kitten ask --json` prints; scripts depend on these keys. */
export interface AskResult {
  request_id: string;
  intent: string;
  target: Target | null;
  command: string[] | null;
  command_line: string | null;
  risk: Risk | null;
  explanation: string | null;
  source: 'offline' | 'llm' | null;
  overall_status: AskStatus;
  exit_code: number | null;
  stdout: string;
  stderr: string;
  duration_ms: number;
  reason: string | null;
}

export const EXIT_CODE_OF_STATUS: Record<AskStatus, number> = {
  PLANNED: 0,
  SUCCESS: 0,
  FAILURE: 1,
  TIMEOUT: 1,
  UNSUPPORTED: 1,
  LLM_ERROR: 1,
  CONFIG_ERROR: 2,
  REJECTED: 3,
  NOT_CONFIRMED: 3,
};

export interface AskRequest {
  intent: string;
  target?: Target;
  namespace?: string;
  dryRun?: boolean;
  yes?: boolean;
  force?: boolean;
  /** Use the built-in translator even when a model is configured. */
  offline?: boolean;
  /** When the model fails, use the built-in translator instead of failing. */
  fallback?: boolean;
  timeoutMs?: number;
  ssh?: { target: SshTarget; options?: SshConnectOptions };
}

export interface AskDeps {
  /** A configured remote model (or a factory that reads its configuration); without one the offline translator answers. */
  llm?: LlmProvider | (() => LlmProvider | undefined | Promise<LlmProvider | undefined>);
  confirm?: Confirm;
  /** Called once the command is known and checked, before any prompt: the UI shows it here. */
  onProposal?: (proposal: { command: Command; target: Target; risk: Risk }) => void;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  terminal?: boolean;
  /** The policy context, or a loader asked once the tool is known (so docker requests skip the kubeconfig). */
  policy?: PolicyContext | ((tool: Tool) => Promise<PolicyContext>);
  /** Replaces asking the runtimes for names (tests, the TUI's cache). */
  context?: IntentContext | ((options: GatherOptions) => Promise<IntentContext>);
  audit?: { file?: string; user?: string; origin?: string } | false;
  env?: NodeJS.ProcessEnv;
}

export async function ask(request: AskRequest, deps: AskDeps = {}): Promise<AskResult> {
  const started = performance.now();
  const requestId = randomUUID();
  const intent = request.intent.trim();
  // Keys in the documented order: people read this JSON too.
  const result = (fields: Partial<AskResult> & Pick<AskResult, 'overall_status'>): AskResult => ({
    request_id: requestId,
    intent,
    target: fields.target ?? null,
    command: fields.command ?? null,
    command_line: fields.command_line ?? null,
    risk: fields.risk ?? null,
    explanation: fields.explanation ?? null,
    source: fields.source ?? null,
    overall_status: fields.overall_status,
    exit_code: fields.exit_code ?? null,
    stdout: fields.stdout ?? '',
    stderr: fields.stderr ?? '',
    duration_ms: Math.round(performance.now() - started),
    reason: fields.reason ?? null,
  });
  const auditOptions = deps.audit === false ? false : { origin: 'ask', ...(deps.audit ?? {}) };
  const host = request.ssh ? formatSshTarget(request.ssh.target) : 'local';
  const early = async (
    fields: Partial<AskResult> & Pick<AskResult, 'overall_status'>,
  ): Promise<AskResult> => {
    const done = result(fields);
    if (!request.dryRun && auditOptions) {
      await appendAudit(
        {
          time: new Date().toISOString(),
          request_id: requestId,
          user: auditOptions.user ?? currentUser(),
          origin: auditOptions.origin,
          intent,
          argv: done.command,
          host,
          risk: done.risk,
          status: done.overall_status,
          exit_code: done.exit_code,
          reason: done.reason,
        },
        auditOptions.file ?? auditFile(deps.env),
      );
    }
    return done;
  };

  let client: Client | undefined;
  try {
    // One connection for the names and the command; none at all for a dry run.
    if (request.ssh && !request.dryRun) {
      try {
        // ssh2 is loaded only when a request goes over SSH: it is a large module.
        const { connectSsh } = await import('../ssh/connect.js');
        client = await connectSsh(request.ssh.target, request.ssh.options);
      } catch (error) {
        if (!isKittenError(error)) throw error;
        const status: AskStatus =
          error.kind === 'refused' ? 'REJECTED' : error.kind === 'usage' ? 'CONFIG_ERROR' : 'FAILURE';
        return await early({
          overall_status: status,
          reason: `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
        });
      }
    }
    const ssh: SshDestination | undefined = client ? { client, label: host } : undefined;
    const context = await contextFor(request, deps, ssh);

    let translation: Translation;
    let note: string | null = null;
    let llm: LlmProvider | undefined;
    if (!request.offline) {
      try {
        llm = typeof deps.llm === 'function' ? await deps.llm() : deps.llm;
      } catch (error) {
        if (!isLlmError(error)) throw error;
        if (!request.fallback)
          return await early({
            overall_status: 'CONFIG_ERROR',
            reason: `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
          });
        note = `the model is misconfigured (${error.message}); used the offline translator`;
      }
    }
    if (llm) {
      try {
        translation = await translateWithLlm(intent, {
          provider: llm,
          target: request.target,
          namespace: request.namespace,
          context,
        });
      } catch (error) {
        if (!isLlmError(error)) throw error;
        const reason = `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
        if (!request.fallback) {
          const status: AskStatus = error.reason === 'config' ? 'CONFIG_ERROR' : 'LLM_ERROR';
          return await early({ overall_status: status, target: request.target ?? null, reason });
        }
        note = `the model failed (${error.message}); used the offline translator`;
        translation = translateOffline(intent, {
          target: request.target,
          namespace: request.namespace,
          context,
        });
      }
    } else {
      translation = translateOffline(intent, {
        target: request.target,
        namespace: request.namespace,
        context,
      });
    }

    if (!translation.ok) {
      return await early({
        overall_status: 'UNSUPPORTED',
        target: translation.target ?? null,
        reason: translation.reason,
      });
    }
    const { command, target } = translation;
    deps.onProposal?.({ command, target, risk: command.risk });
    const policy = typeof deps.policy === 'function' ? await deps.policy(command.tool) : deps.policy;
    const outcome = await runCommand(command, {
      policy,
      confirm: deps.confirm,
      yes: request.yes,
      force: request.force,
      dryRun: request.dryRun,
      ssh,
      timeoutMs: request.timeoutMs,
      onOutput: deps.onOutput,
      terminal: deps.terminal,
      env: deps.env,
      audit: auditOptions ? { ...auditOptions, intent, requestId } : false,
    });
    return result({
      target,
      command: command.argv,
      command_line: commandLine(command.argv),
      risk: outcome.risk,
      explanation: command.explanation,
      source: command.source,
      overall_status: outcome.status,
      exit_code: outcome.exitCode,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      reason: outcome.reason ?? note,
    });
  } finally {
    client?.end();
  }
}

async function contextFor(
  request: AskRequest,
  deps: AskDeps,
  ssh: SshDestination | undefined,
): Promise<IntentContext | undefined> {
  if (deps.context && typeof deps.context !== 'function') return deps.context;
  // A dry run over SSH stays off the remote host entirely.
  if (request.ssh && !ssh) return undefined;
  const options: GatherOptions = {
    targets: request.target ? [request.target] : ['docker', 'kubernetes'],
    namespace: request.namespace,
    ssh,
    env: deps.env,
  };
  return typeof deps.context === 'function' ? deps.context(options) : gatherContext(options);
}
