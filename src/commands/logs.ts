import { Args, Flags } from '@oclif/core';
import { fileFlag, KittenCommand, projectFlag } from '../cli/kitten-command.js';
import { resolveProject, runtimeFlags, runtimeOptions } from '../cli/runtime-flags.js';
import { UsageError } from '../engine/errors.js';
import { selectContainers } from '../engine/orchestrator/lifecycle.js';
import { followLogs } from '../engine/orchestrator/logs.js';
import { openRuntime } from '../engine/runtime/select.js';
import type { LogLine } from '../engine/runtime/types.js';
import { parseDuration } from '../engine/stack/index.js';
import { printLogLine } from '../output/logs.js';

export default class Logs extends KittenCommand {
  static override summary = "Show a project's container logs";
  static override examples = [
    '<%= config.bin %> logs -f web',
    '<%= config.bin %> logs --tail 50 --since 10m',
  ];
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'only these services, or containers by name' }),
  };
  static override flags = {
    file: fileFlag,
    project: projectFlag,
    ...runtimeFlags,
    follow: Flags.boolean({ char: 'f', description: 'keep streaming new lines', default: false }),
    tail: Flags.integer({ description: 'only the last N lines of each container', min: 0 }),
    since: Flags.string({
      description: 'only lines newer than this (10m, 1h) or an ISO time',
      helpValue: 'WHEN',
    }),
    timestamps: Flags.boolean({ char: 't', description: 'show each line’s time', default: false }),
  };

  async run(): Promise<LogLine[] | undefined> {
    const { flags, argv } = await this.parse(Logs);
    const since = flags.since ? parseSince(flags.since) : undefined;
    if (this.jsonEnabled() && flags.follow) {
      throw new UsageError('JSON_FOLLOW', '--json cannot be combined with --follow', {
        hint: 'drop one of them',
      });
    }
    const project = await resolveProject(flags);
    const runtime = await openRuntime(runtimeOptions(flags), { project });
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    try {
      const containers = await selectContainers(runtime, project, argv as string[]);
      const collected: LogLine[] = [];
      const print = printLogLine(containers, { timestamps: flags.timestamps });
      await followLogs(
        runtime,
        containers,
        {
          follow: flags.follow,
          ...(flags.tail !== undefined ? { tail: flags.tail } : {}),
          ...(since ? { since } : {}),
          signal: abort.signal,
        },
        this.jsonEnabled() ? (line) => collected.push(line) : print,
      );
      return this.jsonEnabled() ? collected : undefined;
    } finally {
      process.off('SIGINT', onSignal);
      await runtime.close();
    }
  }
}

function parseSince(text: string): Date {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(Date.now() - ms);
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new UsageError('BAD_SINCE', `--since "${text}" is neither a duration nor a time`, {
      hint: 'use 10m, 2h or 2026-01-02T15:04:05Z',
    });
  }
  return new Date(time);
}
