import type { NodeObject, Pod } from '../../cluster/objects.js';
import type { Advice, Draft, Knowledge, KnowledgeContext } from './context.js';
import {
  bytesOf,
  doubled,
  exitCodeMeaning,
  fact,
  gib,
  previousImageRevision,
  selectorOf,
  where,
} from './context.js';

function podSteps(ctx: KnowledgeContext, container: string, previous: boolean): Draft[] {
  const pod = ctx.pod ?? ctx.issue.name;
  return [
    {
      title: `Read the ${previous ? 'last crashed run of' : 'recent log of'} container ${container} in pod ${pod}`,
      command: ctx.k.logs(pod, { container, previous, tail: 50 }),
      why: previous
        ? 'the previous run is the one that exited; its last lines name what it could not do'
        : 'the log shows what the container is doing while the probe fails',
    },
    {
      title: `Describe pod ${pod} for its events and container states`,
      command: ctx.k.describe('Pod', pod),
      why: 'events show the kubelet’s view: back-off timing, probe failures, pull errors',
    },
  ];
}

function rolloutCheck(ctx: KnowledgeContext): Draft[] {
  const w = ctx.workload;
  if (!w || (w.kind !== 'Deployment' && w.kind !== 'StatefulSet' && w.kind !== 'DaemonSet')) {
    return [
      {
        title: `Watch pod ${ctx.pod ?? ctx.issue.name} become Ready`,
        command: ctx.k.get('Pod', ctx.pod ?? ctx.issue.name, '-o', 'wide'),
        why: 'READY 1/1 and no new restarts mean the fix took',
      },
    ];
  }
  const selector = selectorOf(ctx);
  return [
    {
      title: `Wait for ${w.kind} ${w.name} to finish rolling out`,
      command: ctx.k.rollout('status', w.kind, w.name, '--timeout=180s'),
      why: 'it returns once every replica is updated and available',
    },
    ...(selector
      ? [
          {
            title: `Check the pods of ${w.name} are Running and Ready with no new restarts`,
            command: ctx.k.get('Pod', undefined, '-l', selector),
            why: 'RESTARTS must stop climbing after the change',
          },
        ]
      : []),
  ];
}

function undoTo(ctx: KnowledgeContext, container: string): { fix: Draft[]; rollback: Draft[] } {
  const w = ctx.workload;
  const prev = previousImageRevision(ctx);
  if (!w || !prev) return { fix: [], rollback: [] };
  return {
    fix: [
      {
        title: `Roll ${w.kind} ${w.name} back to revision ${prev.revision} (${prev.images.join(', ')})`,
        command: ctx.k.rollout('undo', w.kind, w.name, `--to-revision=${prev.revision}`),
        why: `revision ${prev.revision} ran ${prev.images.join(', ')} and is still recorded in ReplicaSet ${prev.replicaSet}; going back restores service while the new image of ${container} is fixed`,
      },
    ],
    rollback: [
      {
        title: `Return to the newest revision of ${w.name} once it is fixed`,
        command: ctx.k.rollout('history', w.kind, w.name),
        why: 'the history lists the revision numbers; `rollout undo --to-revision=N` moves forward again',
      },
    ],
  };
}

const crashLoop: Knowledge = (ctx) => {
  const f = ctx.finding;
  const container = fact(f, 'container');
  const image = fact(f, 'image');
  const code = Number(fact(f, 'exitCode') || Number.NaN);
  const last = fact(f, 'lastMessage');
  const meaning = Number.isNaN(code) ? 'the container keeps exiting' : exitCodeMeaning(code);
  const w = ctx.workload;
  const undo = undoTo(ctx, container);
  const dependency = /(dial tcp|connection refused|no such host|timeout|ECONNREFUSED)\s*([\d.]+:\d+)?/i.exec(
    last,
  );
  const remediation: Draft[] = [...podSteps(ctx, container, true)];
  if (dependency) {
    remediation.push({
      title: `Check the dependency the container cannot reach${dependency[2] ? ` (${dependency[2]})` : ''}`,
      command: ctx.k.get('Endpoints'),
      why: `its last words were "${last}": the process exits when a dependency is down, so find that Service's endpoints and fix it first`,
    });
  }
  remediation.push(...undo.fix);
  if (
    w &&
    undo.fix.length === 0 &&
    (w.kind === 'Deployment' || w.kind === 'StatefulSet' || w.kind === 'DaemonSet')
  ) {
    remediation.push({
      title: `Restart ${w.kind} ${w.name} once the cause is fixed`,
      command: ctx.k.rollout('restart', w.kind, w.name),
      why: 'the kubelet backs off up to 5 minutes between restarts; a rollout restart starts fresh pods at once instead of waiting',
    });
  }
  return {
    summary: `Container ${container} (${image}) of ${where(ctx)} crashes on start: last termination ${fact(f, 'lastReason') || 'Error'}, ${meaning}${last ? `; last output: "${last}"` : ''}.`,
    remediation,
    verification: rolloutCheck(ctx),
    rollback:
      undo.rollback.length > 0
        ? undo.rollback
        : w
          ? [
              {
                title: `Undo the restart of ${w.name} if it made things worse`,
                command: ctx.k.rollout('undo', w.kind, w.name),
                why: 'a restart only changes a template annotation; undo returns to the template before it',
              },
            ]
          : [],
    rca: [
      {
        title: `Reproduce: run ${image} with the pod's environment outside the cluster`,
        why: `start it as the pod does (same env and arguments, e.g. docker run --rm ${image}) and confirm it exits with code ${Number.isNaN(code) ? '≠0' : code}${last ? ` and prints "${last}"` : ''}`,
      },
      {
        title: dependency
          ? 'Make start-up tolerate a missing dependency'
          : `Fix the failure in ${container}'s start-up code`,
        why: dependency
          ? 'a service that panics when a dependency is briefly unreachable turns a blip into an outage; retry with back-off and report not-ready instead of exiting'
          : `${meaning}; the first error in the previous log points at the code path or setting to change`,
        edit: dependency
          ? `in ${container}: retry the connection with exponential back-off (cap ~30 s) and fail the readiness probe, not the process, while it is down`
          : undefined,
      },
      {
        title: 'Catch it before it ships',
        why: 'a start-up smoke test in CI (run the image with production-like config for 30 s) and a rollout that waits for readiness (progressDeadlineSeconds, maxUnavailable 0) stop a crashing release from replacing healthy pods',
        edit: `${w ? `${w.kind} ${w.name}: ` : ''}spec.strategy.rollingUpdate.maxUnavailable: 0`,
      },
      {
        title: 'Alert on restarts',
        why: 'alert when increase(kube_pod_container_status_restarts_total[15m]) > 3 so a crash loop pages someone before users notice',
      },
    ],
  };
};

const imagePull: Knowledge = (ctx) => {
  const f = ctx.finding;
  const container = fact(f, 'container');
  const image = fact(f, 'image');
  const message = fact(f, 'message');
  const w = ctx.workload;
  const notFound = /not found|manifest unknown|does not exist/i.test(message);
  const denied = /unauthorized|denied|authentication required|forbidden|401|403/i.test(message);
  const network = /no such host|i\/o timeout|connection refused|TLS|x509/i.test(message);
  const cause = notFound
    ? `the tag ${image} does not exist in the registry`
    : denied
      ? `the registry refused the pull of ${image} (credentials)`
      : network
        ? `the node cannot reach the registry for ${image}`
        : `the image ${image} cannot be pulled`;
  const undo = undoTo(ctx, container);
  const remediation: Draft[] = [
    {
      title: `See the kubelet's pull error for pod ${ctx.pod ?? ctx.issue.name}`,
      command: ctx.k.describe('Pod', ctx.pod ?? ctx.issue.name),
      why: `the Failed event says why the pull fails${message ? `: "${message}"` : ''}`,
    },
    ...undo.fix,
  ];
  if (undo.fix.length === 0 && w) {
    remediation.push({
      title: `Point ${container} at a tag that exists`,
      why: `${cause}; set the image to a published tag (check the registry) and the rollout continues`,
      edit: `${w.kind} ${w.name}: spec.template.spec.containers[name=${container}].image: <a published tag of ${image.split(':')[0]}>`,
    });
  }
  if (denied) {
    remediation.push({
      title: 'Give the pod credentials for the registry',
      why: 'a private registry needs an imagePullSecrets entry (or a service account that has one) in this namespace',
      edit: `${w ? `${w.kind} ${w.name}: ` : ''}spec.template.spec.imagePullSecrets: [{name: <a docker-registry Secret in ${ctx.issue.namespace}>}]`,
    });
  }
  return {
    summary: `Pod ${ctx.pod ?? ctx.issue.name} of ${where(ctx)} cannot start container ${container}: ${cause}.`,
    remediation,
    verification: rolloutCheck(ctx),
    rollback: undo.rollback,
    rca: [
      {
        title: `Reproduce: pull ${image} as the node does`,
        why: `docker pull ${image} (with the cluster's pull credentials) fails the same way${message ? `: ${message}` : ''}`,
      },
      {
        title: 'Deploy only images that were published',
        why: 'the release pipeline must push the image and verify the tag exists before it changes the manifest or Helm values',
        edit: `CI: after docker push, run \`docker manifest inspect ${image}\` and fail the release if it is missing; in Helm values pin image.tag (or better image.digest) from the build output`,
      },
      {
        title: 'Pin by digest',
        why: 'a digest (image@sha256:...) cannot be missing or silently change, unlike a tag',
      },
    ],
  };
};

const oomKilled: Knowledge = (ctx) => {
  const f = ctx.finding;
  const container = fact(f, 'container');
  const limit = fact(f, 'memoryLimit');
  const w = ctx.workload;
  const pod = ctx.pod ?? ctx.issue.name;
  const next = limit ? doubled(limit) : '';
  return {
    summary: `Container ${container} of ${where(ctx)} is killed for using more than its memory limit${limit ? ` of ${limit}` : ''} (exit code 137, OOMKilled)${fact(f, 'restarts') ? ` — ${fact(f, 'restarts')} restarts so far` : ''}.`,
    remediation: [
      {
        title: `See ${container}'s memory use now`,
        command: ctx.k.top(pod),
        why: 'compare the working set with the limit; a value near the limit confirms the diagnosis (needs metrics-server)',
      },
      {
        title: `Read the last run of ${container} before it was killed`,
        command: ctx.k.logs(pod, { container, previous: true, tail: 50 }),
        why: 'the last lines show what it was doing when memory ran out (a large request, a cache warming up)',
      },
      {
        title: `Raise ${container}'s memory limit${limit ? ` from ${limit} to ${next}` : ''}`,
        why: 'the kernel kills the process as soon as it crosses the limit; more headroom stops the crash loop now while the growth is investigated',
        // A runnable command when the workload and a new size are known; otherwise the exact edit.
        ...(w && next
          ? { command: ctx.k.setMemory(w.kind, w.name, container, next) }
          : {
              edit: `${w ? `${w.kind} ${w.name}: ` : ''}spec.template.spec.containers[name=${container}].resources.limits.memory: ${next || '<higher than today>'}${limit ? ` (and requests.memory to match, so the scheduler reserves it)` : ''}`,
            }),
      },
    ],
    verification: rolloutCheck(ctx),
    rollback: w
      ? [
          {
            title: `Return ${w.name} to its previous template if the new limit does not fit on the nodes`,
            command: ctx.k.rollout('undo', w.kind, w.name),
            why: 'a higher request can make pods unschedulable; undo restores the old limit',
          },
        ]
      : [],
    rca: [
      {
        title: 'Reproduce: load the service with production-sized input and watch memory',
        why: `run ${fact(f, 'image')} with the same limit (docker run -m ${limit || '<limit>'}) and replay a production request mix; note where memory climbs`,
      },
      {
        title: 'Bound the runtime’s memory to the container limit',
        why: 'many runtimes size heaps from the host, not the cgroup',
        edit: 'JVM: -XX:MaxRAMPercentage=75; Node.js: --max-old-space-size ≈ 75% of the limit; Go: GOMEMLIMIT ≈ 90% of the limit; Python: cap caches and batch sizes',
      },
      {
        title: 'Set the limit from measurement',
        why: 'take the p99 working set over a week (or a VerticalPodAutoscaler recommendation) plus 25% and put it in the Helm values, so releases do not regress silently',
        edit: `values.yaml: resources.limits.memory / resources.requests.memory for ${container}`,
      },
      {
        title: 'Alert before it kills',
        why: 'alert when container_memory_working_set_bytes / limit > 0.9 for 10 minutes',
      },
    ],
  };
};

const configError: Knowledge = (ctx) => {
  const f = ctx.finding;
  const container = fact(f, 'container');
  const refKind = fact(f, 'refKind') || 'Secret';
  const refName = fact(f, 'refName');
  const key = fact(f, 'key');
  const message = fact(f, 'message');
  const w = ctx.workload;
  const via = fact(f, 'via');
  const what = refName
    ? `${refKind} ${ctx.issue.namespace}/${refName}${key ? ` has no key ${key}` : ' does not exist'}`
    : message;
  const remediation: Draft[] = [];
  if (refName) {
    remediation.push({
      title: `Check ${refKind} ${refName}${key ? ` for key ${key}` : ''}`,
      command: ctx.k.describe(refKind, refName),
      why: key
        ? 'describe lists its keys (never the values); the key the container reads is not among them'
        : `if it is missing, describe says NotFound: it must be created in ${ctx.issue.namespace}`,
    });
    remediation.push({
      title: key
        ? `Add ${key} to ${refKind} ${refName}`
        : `Create ${refKind} ${refName} in ${ctx.issue.namespace}`,
      why: `${container ? `container ${container}` : via || 'the pod'} reads ${key ? `key ${key} of ` : ''}${refKind} ${refName}; the kubelet retries by itself and starts the container as soon as it exists`,
      edit:
        refKind === 'Secret'
          ? key
            ? `kubectl create secret generic ${refName} -n ${ctx.issue.namespace} --from-literal=${key}=<value> (with every key it already has) --dry-run=client -o yaml | kubectl apply -f -`
            : `kubectl create secret generic ${refName} -n ${ctx.issue.namespace} --from-literal=<KEY>=<value> ...`
          : `ConfigMap ${refName}: data.${key || '<KEY>'}: <value>`,
    });
  } else {
    remediation.push({
      title: `Describe pod ${ctx.pod ?? ctx.issue.name}`,
      command: ctx.k.describe('Pod', ctx.pod ?? ctx.issue.name),
      why: `the kubelet says what configuration is missing: ${message}`,
    });
  }
  return {
    summary: container
      ? `Container ${container} of ${where(ctx)} cannot be created: ${what}.`
      : `${where(ctx)} cannot start its pods: ${what}${via ? ` (referenced by ${via})` : ''}.`,
    remediation,
    verification: rolloutCheck(ctx),
    rollback: refName
      ? [
          {
            title: `Remove what was added to ${refName} if it was wrong`,
            why: `the pod only reads ${refName}; nothing else changes`,
            edit: key
              ? `remove key ${key} from ${refKind} ${refName}`
              : `kubectl delete ${refKind.toLowerCase()} ${refName} -n ${ctx.issue.namespace}`,
          },
        ]
      : [],
    rca: [
      {
        title: 'Reproduce: render the manifests and list what they reference',
        why: `helm template (or kustomize build) for ${w?.name ?? container}, then grep for ${refName || 'secretKeyRef/configMapKeyRef'}: the reference exists in the chart but nothing creates it in ${ctx.issue.namespace}`,
      },
      {
        title: `Ship ${refKind} ${refName || '<name>'} with the release, or from the secret manager`,
        why: 'configuration that a workload needs must be created by the same pipeline that deploys it (or synced by External Secrets / Sealed Secrets), never by hand',
        edit: `chart: add ${refName || 'the object'}${key ? ` with key ${key}` : ''} to templates (values-driven), or an ExternalSecret mapping ${key || 'each key'} from the secret store`,
      },
      {
        title: 'Validate references before deploy',
        why: 'a CI check (kubeconform plus a script, or `kitten codex issues --snapshot` on a rendered dry-run) fails the release when a referenced key is missing',
      },
    ],
  };
};

const cannotRun: Knowledge = (ctx) => {
  const f = ctx.finding;
  const container = fact(f, 'container');
  return {
    summary: `Container ${container} of ${where(ctx)} cannot run (${fact(f, 'reason')}): ${fact(f, 'message') || 'the runtime refused to start it'}.`,
    remediation: podSteps(ctx, container, false).reverse(),
    verification: rolloutCheck(ctx),
    rollback: undoTo(ctx, container).rollback,
    rca: [
      {
        title: `Reproduce: start ${fact(f, 'image')} with the same command`,
        why: `docker run --rm --entrypoint <the pod's command> ${fact(f, 'image')} shows whether the binary exists and is executable`,
      },
      {
        title: 'Fix the command or the image',
        why: 'CreateContainerError/RunContainerError usually mean a wrong command, a missing binary or a volume mount the runtime cannot make',
        edit: `spec.template.spec.containers[name=${container}].command / args, or the image's ENTRYPOINT`,
      },
    ],
  };
};

function largestAllocatable(ctx: KnowledgeContext): number {
  if (!ctx.snapshot) return Number.NaN;
  return Math.max(
    ...ctx.snapshot
      .ofKind<NodeObject>('Node')
      .map((n) => bytesOf(n.status?.allocatable?.memory ?? ''))
      .filter((n) => !Number.isNaN(n)),
  );
}

const unschedulable: Knowledge = (ctx) => {
  const f = ctx.finding;
  const message = fact(f, 'message');
  const pod = ctx.pod ?? ctx.issue.name;
  const w = ctx.workload;
  const podObject = ctx.snapshot?.get<Pod>('Pod', ctx.issue.namespace, pod);
  const requested = (podObject?.spec?.containers ?? []).reduce(
    (sum, c) => sum + (bytesOf(c.resources?.requests?.memory ?? '0') || 0),
    0,
  );
  const largest = largestAllocatable(ctx);
  const claims = (podObject?.spec?.volumes ?? [])
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((c): c is string => Boolean(c));
  const remediation: Draft[] = [
    {
      title: `Read the scheduler's reason for pod ${pod}`,
      command: ctx.k.describe('Pod', pod),
      why: `FailedScheduling says: "${message}"`,
    },
  ];
  const rca: Draft[] = [];
  if (/Insufficient memory/i.test(message)) {
    const fits = !Number.isNaN(largest) && requested > 0 && requested > largest;
    remediation.push({
      title: 'See how much memory each node can still give',
      command: ['kubectl', 'describe', 'nodes'],
      why: 'Allocated resources per node show whether any node has room for the request',
    });
    remediation.push({
      title: fits
        ? `Lower the memory request (${gib(requested)} is more than any node offers: the largest allocatable is ${gib(largest)})`
        : 'Lower the memory request, or add a node with room for it',
      why: fits
        ? 'no node can ever fit this pod: adding nodes of the same size will not help'
        : 'the scheduler only places a pod where the sum of requests fits',
      edit: `${w ? `${w.kind} ${w.name}: ` : ''}spec.template.spec.containers[*].resources.requests.memory: <at most ${Number.isNaN(largest) ? 'a node’s allocatable memory' : gib(largest * 0.8)}>`,
    });
    rca.push({
      title: 'Size requests from measurements, and nodes from requests',
      why: 'a request set far above real use strands capacity; take p95 usage plus headroom, and let the cluster autoscaler offer a node group big enough for the largest pod',
    });
  }
  if (/Insufficient cpu/i.test(message)) {
    remediation.push({
      title: 'Lower the CPU request, or add capacity',
      why: 'no node has the CPU the pod requests free',
      edit: `${w ? `${w.kind} ${w.name}: ` : ''}spec.template.spec.containers[*].resources.requests.cpu`,
    });
  }
  if (/unbound immediate PersistentVolumeClaims/i.test(message)) {
    for (const claim of claims) {
      remediation.push({
        title: `Find out why PersistentVolumeClaim ${claim} is not bound`,
        command: ctx.k.describe('PersistentVolumeClaim', claim),
        why: 'the pod waits for its volume; the claim’s events name the provisioning error',
      });
    }
    rca.push({
      title: 'Fix the claim first',
      why: 'the pod will schedule by itself as soon as its claim is bound: see the PersistentVolumeClaim issue for the storage fix',
    });
  }
  if (/untolerated taint/i.test(message)) {
    remediation.push({
      title: 'List node taints',
      command: ['kubectl', 'get', 'nodes', '-o', 'wide'],
      why: 'a tainted node (unreachable, NoSchedule) takes no new pods; bring it back or let the pod go elsewhere',
    });
  }
  if (/node affinity|node selector|didn't match/i.test(message)) {
    remediation.push({
      title: 'Compare the pod’s node selector with node labels',
      command: ['kubectl', 'get', 'nodes', '--show-labels'],
      why: 'no node carries the labels the pod requires',
      edit: `${w ? `${w.kind} ${w.name}: ` : ''}spec.template.spec.nodeSelector / affinity`,
    });
  }
  return {
    summary: `Pod ${pod} of ${where(ctx)} cannot be scheduled: ${message}`,
    remediation,
    verification: [
      {
        title: `Check pod ${pod} gets a node`,
        command: ctx.k.get('Pod', pod, '-o', 'wide'),
        why: 'NODE is filled in and STATUS leaves Pending once the scheduler places it',
      },
    ],
    rollback: w
      ? [
          {
            title: `Undo the template change to ${w.name} if it does not help`,
            command: ctx.k.rollout('undo', w.kind, w.name),
            why: 'returns to the previous requests',
          },
        ]
      : [],
    rca: [
      {
        title: 'Reproduce: dry-run the placement',
        why: `kubectl apply --dry-run=server shows the same request; compare it with kubectl describe nodes (Allocatable minus Allocated)`,
      },
      ...rca,
      {
        title: 'Alert on pods pending too long',
        why: 'alert when kube_pod_status_phase{phase="Pending"} lasts over 10 minutes',
      },
    ],
  };
};

const readiness: Knowledge = (ctx) => {
  const f = ctx.finding;
  const container = fact(f, 'container');
  const probe = fact(f, 'probe');
  const message = fact(f, 'message');
  const w = ctx.workload;
  return {
    summary: `Container ${container} of ${where(ctx)} runs but fails its readiness probe${probe ? ` (${probe})` : ''}${message ? `: ${message}` : ''}; it gets no traffic.`,
    remediation: [
      ...podSteps(ctx, container, false),
      {
        title: 'Decide: is the service unhealthy, or the probe wrong?',
        why: `${message || 'the probe fails'}: if the log shows a dependency down, fix that; if the app is fine, the probe path, port or timeout is wrong`,
        edit: `${w ? `${w.kind} ${w.name}: ` : ''}spec.template.spec.containers[name=${container}].readinessProbe (path, port, timeoutSeconds, failureThreshold)`,
      },
    ],
    verification: rolloutCheck(ctx),
    rollback: w
      ? [
          {
            title: `Undo a probe change to ${w.name}`,
            command: ctx.k.rollout('undo', w.kind, w.name),
            why: 'returns to the previous probe settings',
          },
        ]
      : [],
    rca: [
      {
        title: 'Reproduce: call the probe endpoint yourself',
        why: `kubectl port-forward to the pod and request ${probe || 'the probe endpoint'}; note the status and the reason it gives`,
      },
      {
        title: 'Make readiness mean "I can serve"',
        why: 'a readiness endpoint should check only what this instance needs to answer requests; failing it because of a shared dependency takes every replica out at once',
        edit: `${container}: the readiness handler`,
      },
      {
        title: 'Alert on not-ready replicas',
        why: 'alert when kube_deployment_status_replicas_available < spec replicas for 10 minutes',
      },
    ],
  };
};

export const podKnowledge = {
  CrashLoopBackOff: crashLoop,
  ImagePullBackOff: imagePull,
  OOMKilled: oomKilled,
  CreateContainerConfigError: configError,
  ContainerCannotRun: cannotRun,
  Unschedulable: unschedulable,
  ReadinessProbeFailed: readiness,
} satisfies Record<string, Knowledge>;

export type { Advice };
