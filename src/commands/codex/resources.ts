import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { openCodexSession } from '../../engine/advisor/session.js';
import type { KubeObject } from '../../engine/cluster/objects.js';
import { columnsFor, resolveKind, rowsFor } from '../../engine/cluster/registry.js';
import { visibleObjects } from '../../engine/cluster/visible.js';
import { toJson, toYaml } from '../../output/format.js';
import { style } from '../../output/style.js';
import { type Column, renderTable } from '../../output/table.js';
import { clusterFlags, sessionOptions } from './issues.js';

export interface ResourceList {
  apiVersion: 'v1';
  kind: 'List';
  items: KubeObject[];
}

export default class CodexResources extends KittenCommand {
  static override summary = 'Tables of cluster objects with kubectl’s columns (the TUI’s resource tabs)';
  static override description =
    `KIND is any name kubectl takes: pods/po, deployments/deploy, services/svc, nodes/no, events/ev, pvc, hpa, pdb, netpol, cronjobs/cj, jobs, ingresses/ing, configmaps/cm, secrets, results (K8sGPT). Several kinds print one table each. Only objects you may see are listed.

JSON (--json, -o json or -o yaml): a kind: List of the objects themselves, as \`kubectl get -o json\` prints them.`;
  static override examples = [
    '<%= config.bin %> codex resources pods --snapshot fixtures/clusters/broken-shop.yaml -n shop',
    '<%= config.bin %> codex resources deploy svc -o wide',
    '<%= config.bin %> codex resources events -n shop',
  ];
  static override strict = false;
  static override args = { kind: Args.string({ description: 'resource kinds to list', required: true }) };
  static override flags = {
    ...clusterFlags,
    output: Flags.string({ char: 'o', options: ['table', 'wide', 'json', 'yaml'], default: 'table' }),
  };

  async run(): Promise<ResourceList> {
    const { argv, flags } = await this.parse(CodexResources);
    const kinds = (argv as string[])
      .flatMap((k) => k.split(','))
      .filter(Boolean)
      .map((k) => resolveKind(k));
    const session = await openCodexSession(sessionOptions(flags));
    const wide = flags.output === 'wide';
    const allNamespaces = !session.namespace;
    const items: KubeObject[] = [];
    const tables: string[] = [];
    for (const kind of kinds) {
      const objects = visibleObjects(session.snapshot, kind.kind, {
        ...(session.namespace ? { namespace: session.namespace } : {}),
        access: session.access.view,
      });
      const rows = rowsFor(kind.kind, objects, { now: session.now, allNamespaces, wide });
      items.push(...rows.map((r) => r.object));
      if (rows.length === 0) {
        tables.push(
          style.dim(`No ${kind.plural} found${session.namespace ? ` in ${session.namespace}` : ''}.\n`),
        );
        continue;
      }
      const headers = columnsFor(kind.kind, { allNamespaces, wide });
      const columns: Column<(typeof rows)[number]>[] = headers.map((h, i) => ({
        header: h.header,
        get: (row) =>
          i === headers.findIndex((x) => x.header === 'NAME') && kinds.length > 1
            ? `${kind.singular}/${row.cells[i]}`
            : row.cells[i],
      }));
      tables.push(renderTable(rows, columns));
    }
    const list: ResourceList = { apiVersion: 'v1', kind: 'List', items };
    if (!this.jsonEnabled()) {
      if (flags.output === 'json') process.stdout.write(toJson(list));
      else if (flags.output === 'yaml') process.stdout.write(toYaml(list));
      else process.stdout.write(tables.join('\n'));
    }
    return list;
  }
}
