import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../cli/kitten-command.js';
import type { ServiceConnection } from '../engine/runtime/kubernetes/connection.js';
import { toJson, toYaml } from '../output/format.js';
import { style } from '../output/style.js';

/**
 * `kitten connect PROJECT [SERVICE]`: how to reach a service of a stack running on Kubernetes.
 * JSON: `{ project, namespace, services: [{ service, namespace, kubernetes_service, in_cluster[],
 * port_forward: argv|null, node_ports: [{address, port, protocol}], load_balancer: [...], pending }] }`.
 */
export default class Connect extends KittenCommand {
  static override summary =
    'Show how to reach a service of a stack on Kubernetes (port-forward, NodePort, LoadBalancer)';
  static override examples = ['<%= config.bin %> connect shop', '<%= config.bin %> connect shop web --json'];
  static override args = {
    project: Args.string({ description: 'project name', required: true }),
    service: Args.string({ description: 'only this service' }),
  };
  static override flags = {
    kubeconfig: Flags.string({ description: 'kubeconfig file', env: 'KUBECONFIG', helpValue: 'FILE' }),
    context: Flags.string({ description: 'kubeconfig context', helpValue: 'NAME' }),
    namespace: Flags.string({
      char: 'n',
      description: "namespace (default: the project's own)",
      helpValue: 'NS',
    }),
    output: Flags.string({ char: 'o', description: 'output format', options: ['table', 'json', 'yaml'] }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Connect);
    const { createKubernetesRuntime } = await import('../engine/runtime/kubernetes/index.js');
    const runtime = createKubernetesRuntime({
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
    });
    // Repeat the flags that chose the cluster, so the printed command talks to the same one.
    const kubectlFlags = [
      ...(flags.kubeconfig && process.env.KUBECONFIG !== flags.kubeconfig
        ? ['--kubeconfig', flags.kubeconfig]
        : []),
      ...(flags.context ? ['--context', flags.context] : []),
    ];
    let services: ServiceConnection[];
    try {
      services = await runtime.connections(args.project, args.service, kubectlFlags);
    } finally {
      await runtime.close();
    }
    const result = { project: args.project, namespace: runtime.namespaceFor(args.project), services };
    if (this.jsonEnabled()) return result;
    if (flags.output === 'json') process.stdout.write(toJson(result));
    else if (flags.output === 'yaml') process.stdout.write(toYaml(result));
    else process.stdout.write(services.map(describe).join('\n'));
    return result;
  }
}

function describe(c: ServiceConnection): string {
  const lines = [
    `${style.bold(c.service)} ${style.dim(`(service/${c.kubernetes_service}, namespace ${c.namespace})`)}`,
  ];
  if (c.in_cluster.length) lines.push(`  in cluster     ${c.in_cluster.join(', ')}`);
  if (c.port_forward) {
    const locals = c.port_forward
      .slice(c.port_forward.indexOf(`service/${c.kubernetes_service}`) + 1)
      .map((p) => p.split(':')[0]);
    lines.push(`  port-forward   ${c.port_forward.join(' ')}`);
    lines.push(`                 then ${locals.map((p) => `localhost:${p}`).join(', ')}`);
  }
  for (const e of c.node_ports) lines.push(`  node port      ${e.address}:${e.port}/${e.protocol}`);
  for (const e of c.load_balancer) lines.push(`  load balancer  ${e.address}:${e.port}/${e.protocol}`);
  if (c.pending)
    lines.push(`  load balancer  ${style.yellow('pending: the cluster has not assigned an address yet')}`);
  if (!c.port_forward && c.node_ports.length === 0 && c.load_balancer.length === 0)
    lines.push('  no ports: this service is not reachable from outside');
  return `${lines.join('\n')}\n`;
}
