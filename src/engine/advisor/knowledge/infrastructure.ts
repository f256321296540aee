import type { Knowledge } from './context.js';
import { fact } from './context.js';

const pvcPending: Knowledge = (ctx) => {
  const name = ctx.issue.name;
  const storageClass = fact(ctx.finding, 'storageClass');
  const classMissing = fact(ctx.finding, 'storageClassMissing') === 'true';
  const owner = /^(.+)-(.+)-(\d+)$/.exec(name);
  return {
    summary: `PersistentVolumeClaim ${ctx.issue.namespace}/${name} (${fact(ctx.finding, 'size')}, class ${storageClass || 'default'}) stays Pending: ${fact(ctx.finding, 'message')}.`,
    remediation: [
      {
        title: `Describe PersistentVolumeClaim ${name}`,
        command: ctx.k.describe('PersistentVolumeClaim', name),
        why: 'its events carry the provisioner’s error',
      },
      {
        title: 'List the storage classes',
        command: ['kubectl', 'get', 'storageclass'],
        why: classMissing
          ? `${storageClass} is not among them: pick one that exists`
          : 'check the class exists and its provisioner runs',
      },
      ...(classMissing
        ? [
            {
              title: `Use an existing storage class instead of ${storageClass}`,
              why: owner
                ? `the claim comes from StatefulSet ${owner[2]}'s volumeClaimTemplates, which cannot be edited in place: change the template (delete the StatefulSet with --cascade=orphan and re-apply it), then delete this Pending claim so it is recreated — it holds no data yet`
                : 'a claim’s storage class cannot change: re-create the claim with a class that exists (it is Pending, so no data is lost)',
              edit: owner
                ? `StatefulSet ${owner[2]}: spec.volumeClaimTemplates[name=${owner[1]}].spec.storageClassName: <existing class>`
                : `PersistentVolumeClaim ${name}: spec.storageClassName: <existing class>`,
            },
            {
              title: `Delete the Pending claim ${name} so it is recreated from the fixed template`,
              command: ctx.k.delete('PersistentVolumeClaim', name),
              why: 'a Pending claim has no volume and no data; the StatefulSet controller creates it again',
            },
          ]
        : []),
    ],
    verification: [
      {
        title: `Check ${name} is Bound`,
        command: ctx.k.get('PersistentVolumeClaim', name),
        why: 'STATUS Bound with a VOLUME',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Reproduce: render the chart and compare storage classes',
        why: `helm template shows storageClassName: ${storageClass}; kubectl get storageclass on the target cluster does not have it`,
      },
      {
        title: 'Make the storage class a per-cluster value',
        why: 'charts should default to the cluster default class (omit storageClassName) and let each environment override it',
        edit: `values.yaml: persistence.storageClass: "" (cluster default) — set per environment`,
      },
    ],
  };
};

const pvcLost: Knowledge = (ctx) => {
  const volume = fact(ctx.finding, 'volume');
  return {
    summary: `PersistentVolumeClaim ${ctx.issue.namespace}/${ctx.issue.name} is Lost: its PersistentVolume ${volume} is gone, and the data with it unless a backup exists.`,
    remediation: [
      {
        title: `Describe PersistentVolumeClaim ${ctx.issue.name}`,
        command: ctx.k.describe('PersistentVolumeClaim', ctx.issue.name),
        why: 'confirms the volume name it was bound to',
      },
      {
        title: `Check whether PersistentVolume ${volume} still exists`,
        command: ['kubectl', 'get', 'persistentvolume', volume],
        why: 'if it was deleted with reclaimPolicy Delete, the disk is gone too',
      },
      {
        title: 'Restore from a backup or volume snapshot into a new claim',
        why: 'a Lost claim never recovers by itself; create a new claim from a VolumeSnapshot (dataSource) or restore the backup, then point the workload at it',
        edit: `new PersistentVolumeClaim with spec.dataSource: {kind: VolumeSnapshot, name: <snapshot of ${volume}>}`,
      },
    ],
    verification: [
      {
        title: 'Check the new claim is Bound and the workload reads its data',
        command: ctx.k.get('PersistentVolumeClaim'),
        why: 'STATUS Bound',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Keep volumes when claims or PVs are deleted',
        why: 'storage classes for stateful data should use reclaimPolicy: Retain',
      },
      {
        title: 'Snapshot on a schedule',
        why: 'scheduled VolumeSnapshots (or Velero) make a lost volume a restore instead of data loss',
      },
    ],
  };
};

const nodeNotReady: Knowledge = (ctx) => {
  const node = ctx.issue.name;
  return {
    summary: `Node ${node} is NotReady (${fact(ctx.finding, 'reason')}): ${fact(ctx.finding, 'message') || 'the kubelet is not reporting'}. Its pods are evicted after the toleration period and nothing new lands there.`,
    remediation: [
      {
        title: `Describe node ${node}`,
        command: ctx.k.node('describe', node),
        why: 'conditions, taints and the last heartbeat show since when and why',
      },
      {
        title: `Cordon ${node} so nothing new is scheduled there`,
        command: ctx.k.node('cordon', node),
        why: 'keeps new pods off while it is investigated (already done by the unreachable taint, but it stays after the node returns)',
      },
      {
        title: `Drain ${node} to move its pods elsewhere`,
        command: ctx.k.drain(node),
        why: 'evicts its pods so their controllers recreate them on healthy nodes (respects PodDisruptionBudgets)',
      },
    ],
    verification: [
      {
        title: 'Check the node list',
        command: ['kubectl', 'get', 'nodes'],
        why: `${node} back to Ready, or replaced`,
      },
    ],
    rollback: [
      {
        title: `Uncordon ${node} once it is healthy`,
        command: ctx.k.node('uncordon', node),
        why: 'lets the scheduler use it again',
      },
    ],
    rca: [
      {
        title: 'Find why the kubelet stopped',
        why: 'on the node: journalctl -u kubelet -u containerd --since "1 hour ago"; check disk, memory and the cloud instance status',
      },
      {
        title: 'Let broken nodes replace themselves',
        why: 'node auto-repair (managed node groups) or node-problem-detector plus a remediation controller',
      },
    ],
  };
};

const nodePressure: Knowledge = (ctx) => {
  const node = ctx.issue.name;
  const condition = fact(ctx.finding, 'condition');
  return {
    summary: `Node ${node} reports ${condition}: ${fact(ctx.finding, 'message')}. The kubelet evicts pods until it clears.`,
    remediation: [
      {
        title: `Describe node ${node}`,
        command: ctx.k.node('describe', node),
        why: 'shows the condition, allocated resources and recent evictions',
      },
      {
        title: `See resource use on ${node}`,
        command: ['kubectl', 'top', 'node', node],
        why: 'confirms which resource is short',
      },
      {
        title: `Cordon ${node} while it recovers`,
        command: ctx.k.node('cordon', node),
        why: 'stops new pods adding to the pressure',
      },
    ],
    verification: [
      {
        title: `Check ${node}'s conditions`,
        command: ctx.k.node('describe', node),
        why: `${condition} back to False`,
      },
    ],
    rollback: [
      {
        title: `Uncordon ${node}`,
        command: ctx.k.node('uncordon', node),
        why: 'once the pressure has cleared',
      },
    ],
    rca: [
      {
        title: 'Set requests and limits everywhere',
        why: 'pressure comes from pods using more than they request; LimitRanges with defaults and image/log garbage collection thresholds keep nodes out of it',
      },
    ],
  };
};

export const infrastructureKnowledge = {
  PvcPending: pvcPending,
  PvcLost: pvcLost,
  NodeNotReady: nodeNotReady,
  NodePressure: nodePressure,
} satisfies Record<string, Knowledge>;
