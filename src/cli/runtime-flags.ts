import { basename } from 'node:path';
import { Flags } from '@oclif/core';
import type { ProgressSink } from '../engine/progress.js';
import { RUNTIME_CHOICES, type RuntimeChoice, type RuntimeOptions } from '../engine/runtime/select.js';
import { inspectStack, projectNameFrom } from '../engine/stack/index.js';

/** Flags every stack command shares: which runtime, where it is, and which project. */
export const runtimeFlags = {
  runtime: Flags.string({
    char: 'r',
    description: 'where containers run: auto picks docker when an engine answers, else native',
    options: RUNTIME_CHOICES,
    default: 'auto',
    env: 'KITTEN_RUNTIME',
  }),
  host: Flags.string({
    char: 'H',
    // No `env:` here: the engine reads DOCKER_HOST itself, so its errors can say where a bad
    // address came from (the flag, DOCKER_HOST or the docker context).
    description:
      'docker engine address: unix:///path, tcp://host:port or ssh://user@host[:port] (default: DOCKER_HOST, the docker context, /var/run/docker.sock)',
    helpValue: 'URL',
  }),
  identity: Flags.string({ char: 'i', description: 'ssh private key for an ssh:// host', helpValue: 'FILE' }),
  'insecure-accept-host-key': Flags.boolean({
    description: 'accept an ssh host key that is not in known_hosts (unsafe)',
    default: false,
  }),
  kubeconfig: Flags.string({
    description: 'kubeconfig file (kubernetes runtime)',
    env: 'KUBECONFIG',
    helpValue: 'FILE',
  }),
  context: Flags.string({ description: 'kubeconfig context (kubernetes runtime)', helpValue: 'NAME' }),
  namespace: Flags.string({ char: 'n', description: 'namespace (kubernetes runtime)', helpValue: 'NS' }),
};

export interface RuntimeFlagValues {
  runtime: string;
  host?: string | undefined;
  identity?: string | undefined;
  'insecure-accept-host-key': boolean;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
}

export function runtimeOptions(flags: RuntimeFlagValues, progress?: ProgressSink): RuntimeOptions {
  return {
    runtime: flags.runtime as RuntimeChoice,
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.identity ? { identityFile: flags.identity } : {}),
    ...(flags['insecure-accept-host-key'] ? { insecureAcceptHostKey: true } : {}),
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(progress ? { progress } : {}),
  };
}

/**
 * The project a command acts on: -p, else the stack file's (like compose), else the current
 * directory's name — so `kitten ps` works in a directory with no stack file.
 */
export async function resolveProject(flags: {
  project?: string | undefined;
  file?: string | undefined;
}): Promise<string> {
  if (flags.project) return projectNameFrom(flags.project);
  try {
    return (await inspectStack({ ...(flags.file ? { file: flags.file } : {}) })).project;
  } catch (error) {
    if (flags.file) throw error;
    return projectNameFrom(basename(process.cwd()));
  }
}
