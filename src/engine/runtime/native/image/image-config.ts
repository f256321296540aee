import type { ImageDefaults } from '../state.js';

/** The parts of an OCI/Docker image config a container starts from: Env, Entrypoint, Cmd, WorkingDir. */
interface ConfigJson {
  config?: {
    Env?: string[] | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string | null;
  } | null;
  architecture?: string;
  os?: string;
}

export function imageDefaults(configJson: unknown): ImageDefaults {
  const config = (configJson as ConfigJson | null)?.config ?? {};
  const env: Record<string, string> = {};
  for (const entry of config.Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return {
    env,
    entrypoint: config.Entrypoint && config.Entrypoint.length > 0 ? config.Entrypoint : null,
    cmd: config.Cmd && config.Cmd.length > 0 ? config.Cmd : null,
    workdir: config.WorkingDir ? config.WorkingDir : null,
  };
}
