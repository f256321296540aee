import { Flags } from '@oclif/core';
import { KittenCommand } from '../cli/kitten-command.js';
import { progressFlag } from '../cli/progress-flag.js';
import { UsageError } from '../engine/errors.js';
import type { GcResult } from '../engine/runtime/kubernetes/driver.js';
import { gcInstallManifests } from '../engine/runtime/kubernetes/gc-install.js';
import { manifestsYaml } from '../engine/runtime/kubernetes/manifests.js';
import { toJson, toYaml } from '../output/format.js';
import { style } from '../output/style.js';
import { renderTable } from '../output/table.js';

/**
 * `kitten gc`: delete Kitten projects whose TTL (`up --ttl`) has passed. JSON:
 * `{ "dry_run": bool, "now": ISO, "projects": [{ project, namespace, expires_at, expired, objects, deleted }] }`.
 * `--install` prints the CronJob (and its ServiceAccount and ClusterRole) that runs gc in the cluster.
 */
export default class Gc extends KittenCommand {
  static override summary = 'Delete Kitten projects on Kubernetes whose TTL has passed';
  static override examples = [
    '<%= config.bin %> gc --dry-run',
    '<%= config.bin %> gc --context staging --json',
    '<%= config.bin %> gc --install --image registry.example.com/kitten:0.1.0 | kubectl apply -f -',
  ];
  static override flags = {
    kubeconfig: Flags.string({ description: 'kubeconfig file', env: 'KUBECONFIG', helpValue: 'FILE' }),
    context: Flags.string({ description: 'kubeconfig context', helpValue: 'NAME' }),
    namespace: Flags.string({
      char: 'n',
      description: 'only this namespace (default: every namespace Kitten made)',
      helpValue: 'NS',
    }),
    'dry-run': Flags.boolean({ description: 'list what is expired; delete nothing', default: false }),
    output: Flags.string({ char: 'o', description: 'output format', options: ['table', 'json', 'yaml'] }),
    install: Flags.boolean({
      description: 'print manifests for a CronJob that runs `kitten gc` in the cluster',
      default: false,
    }),
    image: Flags.string({ description: 'image with the kitten CLI, for --install', helpValue: 'IMAGE' }),
    schedule: Flags.string({ description: 'cron schedule, for --install', default: '*/15 * * * *' }),
    'install-namespace': Flags.string({
      description: 'namespace of the CronJob, for --install',
      default: 'kube-system',
    }),
    progress: progressFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Gc);
    const format = this.jsonEnabled() ? 'json' : (flags.output ?? 'table');
    if (flags.install) {
      if (!flags.image) {
        throw new UsageError(
          'GC_IMAGE_REQUIRED',
          '--install needs --image: the image the CronJob runs `kitten gc` from',
          {
            hint: 'pass --image REGISTRY/kitten:VERSION (an image whose entrypoint is the kitten CLI)',
          },
        );
      }
      const objects = gcInstallManifests({
        namespace: flags['install-namespace'],
        image: flags.image,
        schedule: flags.schedule,
      });
      const list = { apiVersion: 'v1', kind: 'List', items: objects };
      if (!this.jsonEnabled())
        process.stdout.write(format === 'json' ? toJson(list) : manifestsYaml(objects));
      return list;
    }
    const renderer = this.progress(flags.progress);
    // The cluster client is heavy to load; --install does not need it.
    const { createKubernetesRuntime } = await import('../engine/runtime/kubernetes/index.js');
    const runtime = createKubernetesRuntime({
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
    });
    const now = new Date();
    let projects: GcResult[];
    try {
      projects = await runtime.collectExpired({ dryRun: flags['dry-run'], progress: renderer.sink });
    } finally {
      renderer.stop();
      await runtime.close();
    }
    const result = { dry_run: flags['dry-run'], now: now.toISOString(), projects };
    if (this.jsonEnabled()) return result;
    if (format === 'json') process.stdout.write(toJson(result));
    else if (format === 'yaml') process.stdout.write(toYaml(result));
    else if (projects.length === 0) process.stdout.write('no expired projects\n');
    else {
      process.stdout.write(
        renderTable(projects, [
          { header: 'project', get: (p) => p.project },
          { header: 'namespace', get: (p) => p.namespace },
          { header: 'expired at', get: (p) => p.expires_at },
          { header: 'objects', get: (p) => p.objects },
          {
            header: 'action',
            get: (p) => (p.deleted ? 'deleted' : 'would delete'),
            colour: (t) => (flags['dry-run'] ? style.yellow(t) : style.green(t)),
          },
        ]),
      );
    }
    return result;
  }
}
