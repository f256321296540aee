import type { ContainerStatus, LogLine, LogOptions, Runtime } from '../runtime/types.js';

/**
 * Logs of several containers as one stream. Without follow, lines are merged by timestamp (like
 * `compose logs`); with follow, each line is handed over as it arrives.
 */
export async function followLogs(
  runtime: Runtime,
  containers: ContainerStatus[],
  options: LogOptions,
  onLine: (line: LogLine) => void,
): Promise<void> {
  if (!options.follow) {
    const all = await Promise.all(containers.map((c) => collect(runtime.logs(c.name, options))));
    for (const line of all.flat().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)))
      onLine(line);
    return;
  }
  await Promise.all(
    containers.map(async (c) => {
      try {
        for await (const line of runtime.logs(c.name, options)) {
          if (options.signal?.aborted) break;
          onLine(line);
        }
      } catch (error) {
        if (!options.signal?.aborted) throw error;
      }
    }),
  );
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}
