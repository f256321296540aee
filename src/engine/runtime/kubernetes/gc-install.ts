import type { KubeObject } from './objects.js';
import { KUBE_LABELS, MANAGED_BY } from './objects.js';

/**
 * `kitten gc --install`: a CronJob that runs `kitten gc` in the cluster on a schedule, with a
 * ServiceAccount and the least ClusterRole it needs (projects live in many namespaces): list and
 * delete exactly the kinds Kitten creates.
 */
export interface GcInstallOptions {
  namespace: string;
  image: string;
  /** Cron schedule; default every 15 minutes. */
  schedule?: string;
}

const NAME = 'kitten-gc';

export function gcInstallManifests(options: GcInstallOptions): KubeObject[] {
  const labels = { [KUBE_LABELS.name]: NAME, [KUBE_LABELS.managedBy]: MANAGED_BY };
  const meta = (namespaced: boolean) => ({
    name: NAME,
    ...(namespaced ? { namespace: options.namespace } : {}),
    labels,
  });
  const rw = ['get', 'list', 'watch', 'delete'];
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(true) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(false),
      rules: [
        { apiGroups: [''], resources: ['namespaces', 'services', 'pods'], verbs: rw },
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: rw },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: rw },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: rw },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: options.namespace }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(true),
      spec: {
        schedule: options.schedule ?? '*/15 * * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: NAME,
                restartPolicy: 'Never',
                containers: [
                  {
                    name: 'gc',
                    image: options.image,
                    args: ['gc', '--json'],
                    resources: {
                      requests: { cpu: '50m', memory: '96Mi' },
                      limits: { cpu: '500m', memory: '256Mi' },
                    },
                  },
                ],
              },
            },
          },
        },
      },
    },
  ];
}
