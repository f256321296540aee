import { randomUUID } from 'node:crypto';
import { isKittenError } from '../errors.js';
import { appendAudit, auditFile, currentUser } from './audit.js';
import type { Command, Risk } from './command.js';
import { type ExecResult, executeLocal } from './execute-local.js';
import { destinationLabel, executeSsh, executeSshAttached, type SshDestination } from './execute-ssh.js';
import { checkCommand, type PolicyContext } from './policy.js';
import { kubectlPositionals } from './risk.js';

/**
 * The one way a Command is run, for `ask`, codex plans, the TUI and the HTTP API alike:
 * policy → confirmation → execution → audit. The engine never prompts; it asks the caller's
 * `confirm` callback, and without one it needs the caller's flags.
 */
export type RunStatus = 'PLANNED' | 'SUCCESS' | 'FAILURE' | 'TIMEOUT' | 'REJECTED' | 'NOT_CONFIRMED';

export interface ConfirmRequest {
  /** write: a y/N question; destructive: the person must type `subject`. */
  kind: 'yes-no' | 'type-name';
  command: Command;
  risk: Risk;
  subject: string;
  question: string;
}

/** Returns true/false for a y/N question, or the text typed for a type-name one. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean | string>;

export interface RunOptions {
  policy?: PolicyContext;
  confirm?: Confirm;
  /** Confirms read and write commands. */
  yes?: boolean;
  /** With `yes`, confirms destructive commands. */
  force?: boolean;
  dryRun?: boolean;
  ssh?: SshDestination;
  /** Default: 30 s, except no limit for commands that run until stopped (logs -f, port-forward). */
  timeoutMs?: number;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Stops a running command when aborted (a UI's cancel key); the outcome is FAILURE, "stopped". */
  signal?: AbortSignal;
  /** Hand an interactive command (exec -it) this process's terminal. */
  terminal?: boolean;
  audit?: { intent: string; origin: string; requestId?: string; user?: string; file?: string } | false;
  env?: NodeJS.ProcessEnv;
}

export interface RunOutcome {
  status: RunStatus;
  risk: Risk;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  reason: string | null;
  host: string;
  /** What a destructive command destroys (what the person types to confirm). */
  subject: string | null;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Commands that are meant to run until the person stops them: a timeout would cut them off. */
export function runsUntilStopped(argv: readonly string[]): boolean {
  const verb = argv[0] === 'kubectl' ? kubectlPositionals(argv)[0] : argv[1];
  if (verb === 'port-forward') return true;
  if (verb === 'logs' || (argv[1] === 'container' && argv[2] === 'logs')) {
    return argv.some((w) => w === '-f' || w === '--follow' || w === '--follow=true');
  }
  return false;
}

async function confirmed(
  command: Command,
  risk: Risk,
  subject: string,
  options: RunOptions,
): Promise<string | null> {
  if (risk === 'read') return null;
  if (risk === 'write') {
    if (options.yes) return null;
    if (!options.confirm) return 'this command changes something and needs confirmation: pass --yes';
    const answer = await options.confirm({
      kind: 'yes-no',
      command,
      risk,
      subject,
      question: 'Run this command?',
    });
    return answer === true ? null : 'declined';
  }
  if (options.yes && options.force) return null;
  if (!options.confirm)
    return 'this command destroys something: pass --yes --force to run it without a prompt';
  const answer = await options.confirm({
    kind: 'type-name',
    command,
    risk,
    subject,
    question: `This is destructive. Type "${subject}" to run it`,
  });
  if (answer === false || answer === '' || answer === true) return 'declined';
  return answer.trim() === subject ? null : `typed "${answer.trim()}", not "${subject}": nothing was run`;
}

export async function runCommand(command: Command, options: RunOptions = {}): Promise<RunOutcome> {
  const started = performance.now();
  const host = options.ssh ? destinationLabel(options.ssh) : 'local';
  const verdict = checkCommand(command, options.policy);
  const base = { exitCode: null, stdout: '', stderr: '', host };
  const finish = async (outcome: Omit<RunOutcome, 'durationMs' | 'host'>): Promise<RunOutcome> => {
    const result: RunOutcome = { ...outcome, host, durationMs: Math.round(performance.now() - started) };
    if (!options.dryRun && options.audit) {
      await appendAudit(
        {
          time: new Date().toISOString(),
          request_id: options.audit.requestId ?? randomUUID(),
          user: options.audit.user ?? currentUser(),
          origin: options.audit.origin,
          intent: options.audit.intent,
          argv: command.argv,
          host,
          risk: result.risk,
          status: result.status,
          exit_code: result.exitCode,
          reason: result.reason,
        },
        options.audit.file ?? auditFile(options.env),
      );
    }
    return result;
  };

  if (!verdict.allowed) {
    return finish({ ...base, status: 'REJECTED', risk: verdict.risk, reason: verdict.reason, subject: null });
  }
  const { risk, subject } = verdict;
  if (options.dryRun) return finish({ ...base, status: 'PLANNED', risk, reason: null, subject });

  // Asked before the prompt: there is no point confirming what cannot run here.
  if (verdict.interactive && !options.terminal) {
    return finish({
      ...base,
      status: 'FAILURE',
      risk,
      subject,
      reason:
        'an interactive command (exec -it) needs a terminal; run it from one, or ask to "run CMD in NAME"',
    });
  }
  const refusal = await confirmed(command, risk, subject, options);
  if (refusal) return finish({ ...base, status: 'NOT_CONFIRMED', risk, reason: refusal, subject });

  const timeoutMs = options.timeoutMs ?? (runsUntilStopped(command.argv) ? 0 : DEFAULT_TIMEOUT_MS);
  let result: ExecResult;
  try {
    if (options.ssh) {
      result = verdict.interactive
        ? await executeSshAttached(options.ssh, command.argv)
        : await executeSsh(options.ssh, command.argv, {
            timeoutMs,
            onOutput: options.onOutput,
            signal: options.signal,
          });
    } else {
      const attach = verdict.interactive;
      result = await executeLocal(command.argv, {
        timeoutMs: attach ? 0 : timeoutMs,
        onOutput: options.onOutput,
        attachTerminal: attach,
        env: options.env,
        signal: options.signal,
      });
    }
  } catch (error) {
    if (!isKittenError(error)) throw error;
    const status = error.kind === 'refused' ? 'REJECTED' : 'FAILURE';
    return finish({
      ...base,
      status,
      risk,
      subject,
      reason: `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
    });
  }
  const { exitCode, stdout, stderr } = result;
  if (result.startError)
    return finish({
      status: 'FAILURE',
      risk,
      subject,
      exitCode: exitCode ?? 127,
      stdout,
      stderr,
      reason: result.startError,
    });
  if (options.signal?.aborted) {
    return finish({
      status: 'FAILURE',
      risk,
      subject,
      exitCode,
      stdout,
      stderr,
      reason: 'stopped before it finished',
    });
  }
  if (result.timedOut) {
    const seconds = (timeoutMs / 1000).toString();
    return finish({
      status: 'TIMEOUT',
      risk,
      subject,
      exitCode,
      stdout,
      stderr,
      reason: `still running after ${seconds}s; stopped (raise --timeout, or 0 for none)`,
    });
  }
  const ok = exitCode === 0;
  return finish({
    status: ok ? 'SUCCESS' : 'FAILURE',
    risk,
    subject,
    exitCode,
    stdout,
    stderr,
    reason: ok ? null : `${command.tool} exited with ${exitCode}`,
  });
}
