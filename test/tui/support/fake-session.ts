import type { ContainerStatus } from '../../../src/engine/runtime/types.js';
import { containerCommand } from '../../../src/tui/model/container-actions.js';
import type {
  CommandView,
  Confirm,
  ConfirmRequest,
  ContainerAction,
  IssueView,
  LogRequest,
  PlanMode,
  PlanView,
  RowView,
  RunOutcome,
  Session,
  SessionState,
} from '../../../src/tui/session/port.js';
import { SessionStore } from '../../../src/tui/session/store.js';

/**
 * A Session for component tests: state set by the test, every engine call recorded, answers
 * scripted. The real engine is exercised by the ClusterSession and end-to-end suites.
 */
export class FakeSession implements Session {
  readonly store: SessionStore;
  readonly calls = {
    plan: [] as { issue: IssueView; mode: PlanMode; context: string }[],
    translate: [] as string[],
    run: [] as CommandView[],
    confirms: [] as { request: ConfirmRequest; answer: boolean | string }[],
    namespace: [] as (string | null)[],
    context: [] as string[],
    describe: [] as string[],
    purposes: [] as string[],
  };
  planResult: PlanView | Error | null = null;
  /** Resolves `plan` only when the test says so, to see the spinner. */
  planGate: Promise<void> = Promise.resolve();
  commands = new Map<string, CommandView>();
  logLines: string[] = [];

  constructor(state: Partial<Omit<SessionState, 'version'>> = {}) {
    this.store = new SessionStore(
      {
        header: {
          target: { type: 'snapshot', name: 'fixtures/clusters/broken-shop.yaml' },
          namespace: null,
          user: 'dev',
          runtime: 'native',
          llm: 'offline',
        },
        issues: [],
        kinds: [],
        resources: {},
        stack: [],
        stackProblem: null,
        problem: null,
        activity: null,
        ...state,
      },
      0,
    );
  }

  state = () => this.store.state();
  subscribe = (listener: () => void) => this.store.subscribe(listener);
  start() {
    return () => {};
  }

  async setNamespace(namespace: string | null) {
    this.calls.namespace.push(namespace);
    this.store.update({ header: { ...this.state().header, namespace } });
  }

  async setContext(name: string) {
    this.calls.context.push(name);
    throw new Error('a snapshot has no contexts to switch to');
  }

  async describe(kind: string, row: RowView) {
    this.calls.describe.push(`${kind}/${row.key}`);
    return `kind: ${kind}\nmetadata:\n  name: ${row.name}\n${Array.from({ length: 80 }, (_, i) => `line${i}: ${i}`).join('\n')}\n`;
  }

  async *logs(_request: LogRequest) {
    for (const line of this.logLines) yield line;
  }

  logContainers(_kind: string, _row: RowView): string[] {
    return [];
  }

  async plan(issue: IssueView, mode: PlanMode, context: string) {
    this.calls.plan.push({ issue, mode, context });
    await this.planGate;
    if (this.planResult instanceof Error) throw this.planResult;
    if (!this.planResult) throw new Error('no plan scripted');
    return this.planResult;
  }

  async translate(intent: string) {
    this.calls.translate.push(intent);
    const command = this.commands.get(intent);
    if (!command) throw new Error(`cannot translate "${intent}"`);
    return command;
  }

  /** The ask executor's rules: reads run, writes ask y/N, destructive asks for the name. */
  async run(command: CommandView, confirm: Confirm, purpose: string): Promise<RunOutcome> {
    this.calls.purposes.push(purpose);
    if (command.risk !== 'read') {
      const name = command.argv[command.argv.length - 1] ?? '';
      const request = { command, typeToConfirm: command.risk === 'destructive' ? name : null };
      const answer = await confirm(request);
      this.calls.confirms.push({ request, answer });
      if (request.typeToConfirm !== null && answer !== request.typeToConfirm) {
        return {
          status: 'declined',
          reason:
            typeof answer === 'string' && answer
              ? `typed "${answer}", not "${name}": nothing was run`
              : 'declined',
        };
      }
      if (answer !== true && request.typeToConfirm === null) return { status: 'declined' };
    }
    this.calls.run.push(command);
    return (
      this.runResult ?? {
        status: 'ran',
        result: { exitCode: 0, stdout: `ran ${command.argv.join(' ')}`, stderr: '' },
      }
    );
  }

  /** What `run` answers once confirmed; the default is a clean exit. */
  runResult: RunOutcome | null = null;

  /** As the real session does for docker: the action is a docker command through `run`. */
  async containerAction(action: ContainerAction, row: RowView, confirm: Confirm): Promise<RunOutcome> {
    return this.run(containerCommand(action, row.name, 'docker'), confirm, `${action} container ${row.name}`);
  }
}

export function issue(partial: Partial<IssueView> & { name: string }): IssueView {
  return {
    id: `id-${partial.name}`,
    kind: 'Pod',
    namespace: 'shop',
    analyzer: 'Pod',
    errors: ['back-off restarting failed container'],
    severity: 'critical',
    source: 'builtin',
    ...partial,
  };
}

export function podRows(count: number, namespace = 'shop'): RowView[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `pod-${String(i).padStart(5, '0')}`;
    return {
      key: `${namespace}/${name}`,
      namespace,
      name,
      cells: [namespace, name, '1/1', 'Running', '0', '3d'],
      tone: 'normal' as const,
    };
  });
}

export const podKind = {
  kind: 'Pod',
  title: 'Pods',
  aliases: ['pods', 'pod', 'po'],
  namespaced: true,
  columns: [
    { header: 'NAMESPACE' },
    { header: 'NAME' },
    { header: 'READY' },
    { header: 'STATUS' },
    { header: 'RESTARTS' },
    { header: 'AGE' },
  ],
  loggable: true,
};

export function container(name: string, state: ContainerStatus['state'] = 'running'): ContainerStatus {
  return {
    name,
    project: 'shop',
    service: name.split('-')[1] ?? name,
    replica: 1,
    image: 'busybox:1.36',
    state,
    health: null,
    pid: 4242,
    ip: '10.88.0.2',
    ports: [{ host: 8080, container: 80, protocol: 'tcp', host_ip: null }],
    restarts: 0,
    exit_code: null,
    config_hash: 'abc',
    started_at: '2026-11-21T10:00:00Z',
    finished_at: null,
  };
}
