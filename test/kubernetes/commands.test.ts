import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createKubernetesRuntime } from '../../src/engine/runtime/kubernetes/index.js';
import type { KubeObject } from '../../src/engine/runtime/kubernetes/objects.js';
import { root } from '../support/cli.js';
import { container, port, stack } from '../support/stack-builder.js';
import { type ClusterTarget, loopbackTarget } from './cluster-target.js';
import { checkManifestProperties } from './manifest-properties.js';

/**
 * `kitten gc` and `kitten connect` as a person runs them (the built CLI, no TTY), against the
 * loopback API server. The CLI runs as a child process; the server keeps answering meanwhile.
 */
interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function kitten(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'kitten.js'), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', KITTEN_DEBUG: '', KUBECONFIG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

let target: ClusterTarget;
const hour = 3_600_000;

beforeAll(async () => {
  target = await loopbackTarget({ controller: true });
  const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
  const options = { wait: true, timeoutMs: 30_000, removeOrphans: false };
  await runtime.deployStack(
    stack('shop', [
      container('web', { ports: [port(80, 30080), port(443, 8443)] }),
      container('db', { ports: [port(5432)] }),
    ]),
    { ...options, extra: { expose: 'nodeport', ttlMs: hour } },
    () => {},
  );
  // Expired already: a TTL in the past, as if deployed a while ago.
  const past = createKubernetesRuntime({
    kubeconfig: target.kubeconfig,
    pollIntervalMs: 10,
    now: () => new Date(Date.now() - 3 * hour),
  });
  await past.deployStack(
    stack('preview-42', [container('app', { ports: [port(3000)] })]),
    { ...options, extra: { ttlMs: hour } },
    () => {},
  );
});

afterAll(async () => {
  await target.close();
});

describe('kitten connect', () => {
  it('prints port-forward and NodePort addresses for each service', async () => {
    const r = await kitten(['connect', 'shop', '--kubeconfig', target.kubeconfig, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.namespace).toBe('shop');
    const web = result.services.find((s: { service: string }) => s.service === 'web');
    expect(web.port_forward).toEqual([
      'kubectl',
      '--kubeconfig',
      target.kubeconfig,
      '-n',
      'shop',
      'port-forward',
      'service/web',
      '30080:80',
      '8443:443',
    ]);
    expect(web.node_ports).toContainEqual({ address: '192.0.2.10', port: 30080, protocol: 'TCP' });
    expect(result.services.map((s: { service: string }) => s.service)).toEqual(['db', 'web']);
  });

  it('says plainly when the project is not there', async () => {
    const r = await kitten(['connect', 'nothing', '--kubeconfig', target.kubeconfig]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no services of project nothing in namespace nothing');
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('kitten gc', () => {
  it('--dry-run lists the expired project and deletes nothing', async () => {
    const r = await kitten(['gc', '--dry-run', '--kubeconfig', target.kubeconfig, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.dry_run).toBe(true);
    expect(result.projects).toEqual([
      expect.objectContaining({
        project: 'preview-42',
        namespace: 'preview-42',
        expired: true,
        deleted: false,
      }),
    ]);
    expect(target.server!.objects('apps/v1', 'Deployment', 'preview-42')).toHaveLength(1);
  });

  it('deletes expired projects and keeps the others', async () => {
    const r = await kitten(['gc', '--kubeconfig', target.kubeconfig, '--progress', 'quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/preview-42\s+preview-42\s+\S+\s+\d+\s+deleted/);
    expect(target.server!.objects('apps/v1', 'Deployment', 'preview-42')).toEqual([]);
    expect(target.server!.get('v1', 'Namespace', undefined, 'preview-42')).toBeUndefined();
    expect(target.server!.objects('apps/v1', 'Deployment', 'shop')).toHaveLength(2);
  });

  it('--install prints a CronJob with its ServiceAccount and ClusterRole', async () => {
    const r = await kitten(['gc', '--install', '--image', 'registry.example.com/kitten:0.1.0', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.items.map((o: { kind: string }) => o.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'CronJob',
    ]);
    const cron = list.items[3];
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0]).toMatchObject({
      image: 'registry.example.com/kitten:0.1.0',
      args: ['gc', '--json'],
    });
  });

  it('--install without --image is a usage error', async () => {
    const r = await kitten(['gc', '--install']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--install needs --image');
  });

  it('names the server when the cluster is unreachable', async () => {
    const { writeFile } = await import('node:fs/promises');
    const file = join(target.kubeconfig, '..', 'unreachable');
    await writeFile(
      file,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n',
    );
    const r = await kitten(['gc', '--kubeconfig', file]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toContain('cannot reach the Kubernetes API server at http://127.0.0.1:9');
  });
});

describe('kitten up --runtime kubernetes --dry-run -o yaml', () => {
  const fixtures = ['fixtures/stacks', 'fixtures/kubernetes/stacks'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f)))
      .map((f) => join(dir, f)),
  );

  // Eight CLI processes on a shared machine: allow them time, never a timing assertion.
  it('prints manifests for every valid fixture that hold the acceptance properties', {
    timeout: 180_000,
  }, async () => {
    const runs: Run[] = [];
    for (let i = 0; i < fixtures.length; i += 4) {
      const batch = fixtures.slice(i, i + 4);
      runs.push(
        ...(await Promise.all(
          batch.map((file) =>
            kitten([
              'up',
              '--runtime',
              'kubernetes',
              '--dry-run',
              '-o',
              'yaml',
              '-f',
              file,
              '--expose',
              'nodeport',
            ]),
          ),
        )),
      );
    }
    runs.forEach((r, i) => {
      expect(r.status, `${fixtures[i]}: ${r.stderr}`).toBe(0);
      const objects = parseAllDocuments(r.stdout)
        .map((d) => d.toJSON() as KubeObject)
        .filter(Boolean);
      expect(objects.length, fixtures[i]).toBeGreaterThan(1);
      checkManifestProperties(objects);
    });
  });
});
