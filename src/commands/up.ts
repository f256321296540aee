import { Args, Flags } from '@oclif/core';
import { fileFlag, KittenCommand, projectFlag } from '../cli/kitten-command.js';
import { progressFlag } from '../cli/progress-flag.js';
import { runtimeFlags, runtimeOptions } from '../cli/runtime-flags.js';
import { UsageError } from '../engine/errors.js';
import { planUp, up } from '../engine/orchestrator/lifecycle.js';
import { followLogs } from '../engine/orchestrator/logs.js';
import { formatPlan, type Plan } from '../engine/orchestrator/plan.js';
import { openRuntime } from '../engine/runtime/select.js';
import type { ContainerStatus } from '../engine/runtime/types.js';
import { loadStack, parseDuration, stackPlan } from '../engine/stack/index.js';
import { renderContainers } from '../output/containers.js';
import { toJson, toYaml } from '../output/format.js';
import { printLogLine } from '../output/logs.js';
import { renderStackPlan } from '../output/stack-plan.js';

export default class Up extends KittenCommand {
  static override summary =
    'Bring a stack up: create what is missing, recreate what changed, leave the rest running';
  static override examples = [
    '<%= config.bin %> up -d',
    '<%= config.bin %> up -f docker-compose.yml --runtime docker',
    '<%= config.bin %> up --dry-run --json',
    '<%= config.bin %> up --plan web',
  ];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'only these services (and what they depend on)' }),
  };
  static override flags = {
    file: fileFlag,
    project: projectFlag,
    ...runtimeFlags,
    detach: Flags.boolean({
      char: 'd',
      description: 'return once the stack runs, instead of streaming its logs',
      default: false,
    }),
    'dry-run': Flags.boolean({
      description: 'validate and print the normalized stack; touch no runtime',
      default: false,
    }),
    plan: Flags.boolean({
      description: 'print the steps up would take against the runtime, and stop',
      default: false,
    }),
    output: Flags.string({
      char: 'o',
      description: 'format for --dry-run and --plan',
      options: ['table', 'json', 'yaml'],
    }),
    'remove-orphans': Flags.boolean({
      description: 'remove containers of services no longer in the file',
      default: false,
    }),
    'force-recreate': Flags.boolean({
      description: 'recreate containers even when their config is unchanged',
      default: false,
    }),
    'keep-on-failure': Flags.boolean({
      description: 'leave what a failed up created, for inspection',
      default: false,
    }),
    pull: Flags.string({
      description: 'when to pull images (docker)',
      options: ['always', 'missing', 'never'],
      default: 'missing',
    }),
    timeout: Flags.string({
      description: 'longest wait for a container to be healthy or complete',
      default: '2m',
      helpValue: 'DURATION',
    }),
    progress: progressFlag,
    wait: Flags.boolean({
      description: 'return only once containers with a healthcheck are healthy (kubernetes: rollouts done)',
      default: true,
      allowNo: true,
    }),
    expose: Flags.string({
      description: 'kubernetes: publish ports through a NodePort or LoadBalancer Service',
      options: ['nodeport', 'loadbalancer'],
    }),
    ttl: Flags.string({
      description: 'kubernetes: delete the project after this long (`kitten gc`)',
      helpValue: 'DURATION',
    }),
    strict: Flags.boolean({
      description: 'kubernetes: fail on fields a cluster cannot honour instead of warning',
      default: false,
    }),
  };

  async run(): Promise<unknown> {
    const { flags, argv } = await this.parse(Up);
    const services = argv as string[];
    const stack = await loadStack({ file: flags.file, project: flags.project });
    const format = this.jsonEnabled() ? 'json' : (flags.output ?? 'table');

    const kubeExtra = {
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      ...(flags.expose ? { expose: flags.expose as 'nodeport' | 'loadbalancer' } : {}),
      ...(flags.ttl ? { ttlMs: parseTtlFlag(flags.ttl) } : {}),
      strict: flags.strict,
    };
    if (flags['dry-run'] && flags.runtime === 'kubernetes') {
      const { manifestsYaml, planKubernetes } = await import('../engine/runtime/kubernetes/index.js');
      const translation = await planKubernetes(stack, kubeExtra);
      for (const w of translation.warnings) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
      if (!this.jsonEnabled())
        process.stdout.write(format === 'json' ? toJson(translation) : manifestsYaml(translation.objects));
      return translation;
    }
    if (flags['dry-run']) {
      const plan = stackPlan(stack);
      this.emit(format, plan, renderStackPlan);
      return plan;
    }

    const waitTimeoutMs = parseDuration(flags.timeout);
    if (waitTimeoutMs === null) {
      throw new UsageError('BAD_DURATION', `--timeout "${flags.timeout}" is not a duration`, {
        hint: 'use e.g. 90s, 2m, 1m30s',
      });
    }
    const renderer = this.progress(flags.progress);
    const runtime = await openRuntime(
      {
        ...runtimeOptions(flags, renderer.sink),
        pull: flags.pull as 'always' | 'missing' | 'never',
      },
      { stack },
    );
    try {
      const reconcileOptions = {
        services,
        removeOrphans: flags['remove-orphans'],
        forceRecreate: flags['force-recreate'],
      };
      if (flags.plan) {
        const plan = await planUp(stack, runtime, reconcileOptions);
        this.emit(format, plan, formatPlan);
        return plan;
      }
      let plan: Plan | null;
      try {
        ({ plan } = await up(stack, runtime, {
          ...reconcileOptions,
          progress: renderer.sink,
          keepOnFailure: flags['keep-on-failure'],
          waitTimeoutMs,
          wait: flags.wait,
          extra: kubeExtra,
        }));
      } finally {
        renderer.stop();
      }
      const containers = await runtime.list(stack.project);
      const result = { project: stack.project, runtime: runtime.name, steps: plan?.steps ?? [], containers };
      if (this.jsonEnabled()) return result;
      if (flags.detach) {
        process.stdout.write(renderContainers(containers));
        return result;
      }
      await this.foreground(runtime, stack.project, containers);
      return result;
    } finally {
      await runtime.close();
    }
  }

  /** Streams every container's logs, prefixed, until Ctrl-C; then stops the stack (as compose does). */
  private async foreground(
    runtime: Awaited<ReturnType<typeof openRuntime>>,
    project: string,
    containers: ContainerStatus[],
  ): Promise<void> {
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.stderr.write(`attached to ${containers.length} container(s) of ${project}; Ctrl-C stops them\n`);
    try {
      await followLogs(
        runtime,
        containers,
        { follow: true, tail: 0, signal: abort.signal },
        printLogLine(containers),
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (abort.signal.aborted) {
      process.stderr.write('stopping…\n');
      await Promise.all(containers.map((c) => runtime.stop(c.name).catch(() => undefined)));
    }
  }

  private emit<T>(format: string, value: T, human: (v: T) => string): void {
    if (this.jsonEnabled()) return;
    process.stdout.write(
      format === 'json' ? toJson(value) : format === 'yaml' ? toYaml(value) : human(value),
    );
  }
}

function parseTtlFlag(text: string): number {
  const ms = parseDuration(text.replace(/(\d+)d/g, (_, d) => `${Number(d) * 24}h`));
  if (ms === null || ms <= 0) {
    throw new UsageError('BAD_TTL', `--ttl "${text}" is not a duration`, { hint: 'use e.g. 30m, 2h, 1d' });
  }
  return ms;
}
