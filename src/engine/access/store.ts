import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeHttp, statusOf } from '../cluster/kube-http.js';
import type { KubeconfigOptions } from '../cluster/kubeconfig.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { KittenError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic.js';
import { kittenHome } from '../state/home.js';
import { type AccessPolicy, parsePolicy } from './policy.js';

/** Where the policy lives: a file under KITTEN_HOME, or a ConfigMap a team shares. */
export interface PolicyStore {
  readonly description: string;
  /** The policy, or undefined when none was ever written (single-user mode). */
  load(): Promise<AccessPolicy | undefined>;
  save(policy: AccessPolicy): Promise<void>;
}

export function defaultPolicyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(kittenHome(env), 'access', 'policy.json');
}

export class FilePolicyStore implements PolicyStore {
  readonly file: string;
  readonly description: string;

  constructor(file = defaultPolicyFile()) {
    this.file = file;
    this.description = file;
  }

  async load(): Promise<AccessPolicy | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KittenError(
        'ACCESS_POLICY_UNREADABLE',
        `cannot read ${this.file}: ${(error as NodeJS.ErrnoException).code}`,
        {
          hint: 'check the permissions of the file and KITTEN_HOME',
        },
      );
    }
    return parsePolicy(text, this.file);
  }

  async save(policy: AccessPolicy): Promise<void> {
    // Only the admin who writes it (and root) should be able to change who sees what.
    await writeFileAtomic(this.file, `${JSON.stringify(policy, null, 2)}\n`, 0o644);
  }
}

interface ConfigMapBody {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

const policyKey = 'policy.json';

/**
 * The policy in a ConfigMap (`configmap:NS/NAME`), so a team shares one. Saves are guarded by
 * resourceVersion: if another admin changed it since it was read, the save fails instead of
 * silently undoing their change.
 */
export class ConfigMapPolicyStore implements PolicyStore {
  readonly namespace: string;
  readonly name: string;
  readonly description: string;
  private readonly http: KubeHttp;
  private resourceVersion: string | undefined;
  private exists = false;

  constructor(http: KubeHttp, namespace: string, name: string) {
    this.http = http;
    this.namespace = namespace;
    this.name = name;
    this.description = `configmap:${namespace}/${name}`;
  }

  private get path(): string {
    return `/api/v1/namespaces/${this.namespace}/configmaps/${this.name}`;
  }

  async load(): Promise<AccessPolicy | undefined> {
    let cm: ConfigMapBody;
    try {
      cm = await this.http.get<ConfigMapBody>(this.path);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    this.exists = true;
    this.resourceVersion = cm.metadata.resourceVersion;
    const text = cm.data?.[policyKey];
    return text === undefined ? undefined : parsePolicy(text, this.description);
  }

  async save(policy: AccessPolicy): Promise<void> {
    const body: ConfigMapBody = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'kitten' },
        ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}),
      },
      data: { [policyKey]: `${JSON.stringify(policy, null, 2)}\n` },
    };
    try {
      const saved = this.exists
        ? await this.http.put<ConfigMapBody>(this.path, body)
        : await this.http.post<ConfigMapBody>(`/api/v1/namespaces/${this.namespace}/configmaps`, body);
      this.exists = true;
      this.resourceVersion = saved.metadata.resourceVersion;
    } catch (error) {
      if (statusOf(error) === 409) {
        throw new KittenError(
          'ACCESS_POLICY_CONFLICT',
          `${this.description} was changed by someone else while Kitten edited it`,
          {
            hint: 'run the command again: it re-reads the policy first',
          },
        );
      }
      throw error;
    }
  }
}

/** `file`, `file:PATH` or `configmap:NS/NAME` → a store. */
export async function openPolicyStore(
  spec: string | undefined,
  kube: KubeconfigOptions = {},
): Promise<PolicyStore> {
  if (!spec || spec === 'file') return new FilePolicyStore();
  if (spec.startsWith('file:')) return new FilePolicyStore(spec.slice('file:'.length));
  const m = /^configmap:([a-z0-9]([a-z0-9-]*[a-z0-9])?)\/([a-z0-9]([a-z0-9.-]*[a-z0-9])?)$/.exec(spec);
  if (m?.[1] && m[3]) return new ConfigMapPolicyStore(new KubeHttp(await loadKubeConfig(kube)), m[1], m[3]);
  throw new UsageError('ACCESS_STORE_INVALID', `"${spec}" is not a policy store`, {
    hint: 'use file (the default, under KITTEN_HOME), file:PATH, or configmap:NAMESPACE/NAME',
  });
}
