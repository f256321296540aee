/**
 * Plain Kubernetes objects as `kubectl get -o yaml` writes them. Only the fields Kitten reads are
 * typed; everything else is carried through untouched so a snapshot round-trips.
 */
export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  generation?: number;
}

export interface KubeObject {
  apiVersion?: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: {
    configMapRef?: { name: string; optional?: boolean };
    secretRef?: { name: string; optional?: boolean };
  }[];
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Volume {
  name: string;
  configMap?: { name: string; optional?: boolean; items?: { key: string; path: string }[] };
  secret?: { secretName: string; optional?: boolean; items?: { key: string; path: string }[] };
  persistentVolumeClaim?: { claimName: string };
  projected?: {
    sources?: {
      configMap?: { name: string; optional?: boolean };
      secret?: { name: string; optional?: boolean };
    }[];
  };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  imagePullSecrets?: { name: string }[];
  restartPolicy?: string;
}

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}
export interface ContainerStateTerminated {
  reason?: string;
  message?: string;
  exitCode: number;
  signal?: number;
  startedAt?: string;
  finishedAt?: string;
}
export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PodStatus {
  phase?: string;
  reason?: string;
  message?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  podIP?: string;
  hostIP?: string;
  startTime?: string;
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec?: PodSpec;
  status?: PodStatus;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  unavailableReplicas?: number;
  currentReplicas?: number;
  fullyLabeledReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  serviceName?: string;
}

export interface Workload extends KubeObject {
  spec?: WorkloadSpec;
  status?: WorkloadStatus;
}

export interface DaemonSetStatus {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  numberReady?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  numberMisscheduled?: number;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
}

export interface ServiceSpec {
  type?: string;
  selector?: Record<string, string>;
  clusterIP?: string;
  externalIPs?: string[];
  externalName?: string;
  ports?: ServicePort[];
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec?: ServiceSpec;
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface EndpointAddress {
  ip: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

export interface Endpoints extends KubeObject {
  kind: 'Endpoints';
  subsets?: { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: ServicePort[] }[];
}

export interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
}

export interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  tls?: { hosts?: string[]; secretName?: string }[];
  rules?: {
    host?: string;
    http?: { paths: { path?: string; pathType?: string; backend: IngressBackend }[] };
  }[];
}

export interface Ingress extends KubeObject {
  kind: 'Ingress';
  spec?: IngressSpec;
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface PersistentVolumeClaim extends KubeObject {
  kind: 'PersistentVolumeClaim';
  spec?: {
    accessModes?: string[];
    storageClassName?: string;
    volumeName?: string;
    resources?: { requests?: { storage?: string } };
  };
  status?: { phase?: string; capacity?: { storage?: string }; accessModes?: string[] };
}

export interface NodeObject extends KubeObject {
  kind: 'Node';
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  status?: {
    conditions?: Condition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: {
      kubeletVersion?: string;
      osImage?: string;
      kernelVersion?: string;
      containerRuntimeVersion?: string;
    };
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
  };
}

export interface Job extends KubeObject {
  kind: 'Job';
  spec?: {
    completions?: number;
    parallelism?: number;
    backoffLimit?: number;
    suspend?: boolean;
    template?: PodTemplate;
  };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: Condition[];
  };
}

export interface CronJob extends KubeObject {
  kind: 'CronJob';
  spec?: {
    schedule: string;
    suspend?: boolean;
    timeZone?: string;
    jobTemplate?: { spec?: { template?: PodTemplate; backoffLimit?: number } };
  };
  status?: { active?: { name: string }[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

export interface HorizontalPodAutoscaler extends KubeObject {
  kind: 'HorizontalPodAutoscaler';
  spec?: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: { type: string; resource?: { name: string; target?: { averageUtilization?: number } } }[];
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: {
      type: string;
      resource?: { name: string; current?: { averageUtilization?: number } };
    }[];
    conditions?: Condition[];
  };
}

export interface PodDisruptionBudget extends KubeObject {
  kind: 'PodDisruptionBudget';
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: LabelSelector };
  status?: {
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    disruptionsAllowed?: number;
    conditions?: Condition[];
  };
}

export interface NetworkPolicy extends KubeObject {
  kind: 'NetworkPolicy';
  spec?: { podSelector?: LabelSelector; policyTypes?: string[] };
}

export interface ConfigMap extends KubeObject {
  kind: 'ConfigMap';
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export interface Secret extends KubeObject {
  kind: 'Secret';
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface KubeEvent extends KubeObject {
  kind: 'Event';
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
}

/** K8sGPT operator's `Result` (core.k8sgpt.ai/v1alpha1). */
export interface K8sgptResult extends KubeObject {
  kind: 'Result';
  spec?: {
    kind?: string;
    name?: string;
    error?: { text: string; sensitive?: { unmasked?: string; masked?: string }[] }[];
    details?: string;
    parentObject?: string;
    backend?: string;
  };
}

/** `namespace/name`, or just `name` for cluster-scoped objects: the key kubectl users read. */
export function objectKey(object: KubeObject): string {
  const ns = object.metadata.namespace;
  return ns ? `${ns}/${object.metadata.name}` : object.metadata.name;
}

export function controllerOf(object: KubeObject): OwnerReference | undefined {
  const owners = object.metadata.ownerReferences ?? [];
  return owners.find((o) => o.controller) ?? owners[0];
}

export function conditionOf(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
