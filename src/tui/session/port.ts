/**
 * What the TUI needs from the engine, in the shapes DESIGN.md fixes (Issue, Plan, Command,
 * ContainerStatus). The app renders only these; `engine-session.ts` builds one from the real
 * engine modules (cluster source, registry, advisor, intent, runtimes), tests build one over
 * fixtures. Keeping the port narrow keeps the views pure and the engine free of UI.
 */
import type { ContainerStatus } from '../../engine/runtime/types.js';

export type Severity = 'critical' | 'warning' | 'info';

export interface IssueView {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  parent?: { kind: string; name: string };
  analyzer: string;
  errors: string[];
  severity: Severity;
  source: 'builtin' | 'k8sgpt';
}

export type Risk = 'read' | 'write' | 'destructive';

export interface CommandView {
  /** `kitten` only for a Stack action the session makes through the native runtime itself. */
  tool: 'docker' | 'kubectl' | 'kitten';
  argv: string[];
  risk: Risk;
  explanation: string;
  source: 'offline' | 'llm';
}

export interface PlanStepView {
  title: string;
  /** A command the executor can run (after policy and confirmation); absent for a change by hand. */
  command?: CommandView;
  risk: Risk;
  why: string;
  /** The exact change to make by hand when no allowed command can make it. */
  edit?: string;
}

export type PlanMode = 'remediation' | 'rca';

export interface PlanView {
  issueId: string;
  mode: PlanMode;
  summary: string;
  steps: PlanStepView[];
  verification: PlanStepView[];
  rollback: PlanStepView[];
  source: 'offline' | 'llm';
  /** What the person added in the context dialog, as given. */
  context?: string;
  /** Commands a model proposed that the policy refused: never runnable, shown for honesty. */
  refused?: { title: string; command: string[]; reason: string }[];
}

export interface ColumnView {
  header: string;
  /** Shown only when the terminal is wide enough, as kubectl's `-o wide` columns. */
  wide?: boolean;
}

/** A resource tab: one kind from the engine's registry, with its kubectl/k9s columns. */
export interface ResourceKindView {
  kind: string;
  title: string;
  /** Lower-case names for `:` command mode (`pods`, `pod`, `po`). */
  aliases: string[];
  namespaced: boolean;
  columns: ColumnView[];
  /** Capabilities, not kind checks: a view offers `l` only when the kind is loggable. */
  loggable: boolean;
}

export type Tone = 'critical' | 'warning' | 'ok' | 'muted' | 'normal';

export interface RowView {
  /** Stable across refreshes (namespace/name or uid): the selection follows it. */
  key: string;
  namespace?: string;
  name: string;
  cells: string[];
  tone: Tone;
}

export interface HeaderView {
  /** `context prod-eu` or `snapshot fixtures/clusters/broken-shop.yaml`. */
  target: { type: 'context' | 'snapshot'; name: string };
  namespace: string | null;
  user: string;
  runtime: string;
  llm: string;
}

/** Everything the screen shows, replaced as a whole on each refresh (redrawn from this cache). */
export interface SessionState {
  header: HeaderView;
  issues: IssueView[];
  kinds: ResourceKindView[];
  /** Rows by kind, already limited to what access allows. */
  resources: Record<string, RowView[]>;
  stack: ContainerStatus[];
  /** Why the stack tab is empty, when it is for a reason (no runtime reachable). */
  stackProblem: string | null;
  /** The last refresh problem (cluster unreachable, forbidden), shown in the status line. */
  problem: string | null;
  /** Work in progress worth saying (`loading broken-shop.yaml…`), shown when there is no problem. */
  activity: string | null;
  /** Bumped on every change, so views can memoise on it. */
  version: number;
}

export interface ExecutionResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Why it failed, when it did (timeout, could not start, non-zero exit). */
  reason?: string | null;
}

/** What the executor asks before running anything but a read: y/N for write, the name for destructive. */
export interface ConfirmRequest {
  command: CommandView;
  /** For destructive commands: the word the person must type (the object's name). */
  typeToConfirm: string | null;
}

/**
 * The person's answer: true/false to a y/N question; for a destructive command the text they
 * typed (the executor compares it with the name), or false when they backed out.
 */
export type Confirm = (request: ConfirmRequest) => Promise<boolean | string>;

export type RunOutcome =
  | { status: 'ran'; result: ExecutionResult }
  | { status: 'declined'; reason?: string }
  | { status: 'refused'; reason: string };

/** What the Stack tab can do to one container. */
export type ContainerAction = 'restart' | 'stop' | 'start';

export interface LogRequest {
  kind: string;
  row: RowView;
  follow: boolean;
  signal: AbortSignal;
  /** Which of the pod's containers to read (one of `logContainers`); absent means the first. */
  container?: string;
}

export interface Session {
  /** Current cache; cheap to call on every render. */
  state(): SessionState;
  /** Called (throttled by the session) after the cache changes. */
  subscribe(listener: () => void): () => void;
  /** Starts watches or polling; stops them on the returned call. */
  start(): () => void;
  setNamespace(namespace: string | null): Promise<void>;
  setContext(name: string): Promise<void>;
  /** The object as YAML, for the details view. */
  describe(kind: string, row: RowView): Promise<string>;
  logs(request: LogRequest): AsyncIterable<string>;
  /**
   * The containers a logs view can switch between for this row, in the pod's order: several for
   * a pod with sidecars, otherwise one or none (nothing to switch).
   */
  logContainers(kind: string, row: RowView): string[];
  plan(issue: IssueView, mode: PlanMode, context: string, signal: AbortSignal): Promise<PlanView>;
  translate(intent: string, signal: AbortSignal): Promise<CommandView>;
  /**
   * Runs a command through the policy and the executor's confirmation rules. `purpose` is what
   * the audit log records as the request (the ask intent, or the plan step).
   */
  run(command: CommandView, confirm: Confirm, purpose: string): Promise<RunOutcome>;
  /**
   * Restarts, stops or starts a Stack tab container, asking `confirm` first like any write;
   * the Stack tab shows the new state on its next refresh.
   */
  containerAction(action: ContainerAction, row: RowView, confirm: Confirm): Promise<RunOutcome>;
}
