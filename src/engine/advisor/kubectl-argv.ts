/**
 * kubectl argv for plan steps, always scoped to the namespace (cluster-scoped kinds
 * excepted). Only verbs on the ask policy's allowlist appear here.
 */
const clusterScoped = new Set(['Node', 'Namespace', 'StorageClass', 'IngressClass', 'PersistentVolume']);

export function resourceWord(kind: string): string {
  return kind.toLowerCase();
}

export class KubectlArgv {
  readonly namespace: string;

  constructor(namespace: string) {
    this.namespace = namespace;
  }

  private scoped(kind: string | undefined, argv: string[]): string[] {
    return kind && clusterScoped.has(kind)
      ? ['kubectl', ...argv]
      : ['kubectl', ...argv, '-n', this.namespace];
  }

  describe(kind: string, name: string): string[] {
    return this.scoped(kind, ['describe', resourceWord(kind), name]);
  }

  get(kind: string, name?: string, ...flags: string[]): string[] {
    return this.scoped(kind, ['get', resourceWord(kind), ...(name ? [name] : []), ...flags]);
  }

  logs(pod: string, options: { container?: string; previous?: boolean; tail?: number } = {}): string[] {
    return this.scoped('Pod', [
      'logs',
      pod,
      ...(options.container ? ['-c', options.container] : []),
      ...(options.previous ? ['--previous'] : []),
      `--tail=${options.tail ?? 50}`,
    ]);
  }

  workloadLogs(kind: string, name: string, tail = 50): string[] {
    return this.scoped(kind, ['logs', `${resourceWord(kind)}/${name}`, `--tail=${tail}`]);
  }

  events(name: string): string[] {
    return this.scoped(undefined, [
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${name}`,
      '--sort-by=.lastTimestamp',
    ]);
  }

  podsWithLabels(selector?: string): string[] {
    return this.scoped('Pod', ['get', 'pods', ...(selector ? ['-l', selector] : []), '--show-labels']);
  }

  rollout(
    action: 'restart' | 'undo' | 'status' | 'history',
    kind: string,
    name: string,
    ...flags: string[]
  ): string[] {
    return this.scoped(kind, ['rollout', action, `${resourceWord(kind)}/${name}`, ...flags]);
  }

  setImage(kind: string, name: string, container: string, image: string): string[] {
    return this.scoped(kind, ['set', 'image', `${resourceWord(kind)}/${name}`, `${container}=${image}`]);
  }

  /** Limit and request together, so the scheduler reserves what the container may use. */
  setMemory(kind: string, name: string, container: string, memory: string): string[] {
    return this.scoped(kind, [
      'set',
      'resources',
      `${resourceWord(kind)}/${name}`,
      '-c',
      container,
      `--limits=memory=${memory}`,
      `--requests=memory=${memory}`,
    ]);
  }

  scale(kind: string, name: string, replicas: number): string[] {
    return this.scoped(kind, ['scale', `${resourceWord(kind)}/${name}`, `--replicas=${replicas}`]);
  }

  top(pod: string): string[] {
    return this.scoped('Pod', ['top', 'pod', pod, '--containers']);
  }

  delete(kind: string, name: string): string[] {
    return this.scoped(kind, ['delete', resourceWord(kind), name]);
  }

  node(verb: 'cordon' | 'uncordon' | 'describe', name: string): string[] {
    return verb === 'describe' ? ['kubectl', 'describe', 'node', name] : ['kubectl', verb, name];
  }

  drain(node: string): string[] {
    return ['kubectl', 'drain', node, '--ignore-daemonsets', '--delete-emptydir-data'];
  }
}
