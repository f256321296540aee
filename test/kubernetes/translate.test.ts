import { describe, expect, it } from 'vitest';
import { isKittenError } from '../../src/engine/errors.js';
import {
  assignNames,
  DNS1035_LABEL,
  dnsLabel,
  labelValue,
} from '../../src/engine/runtime/kubernetes/names.js';
import type { KubeObject } from '../../src/engine/runtime/kubernetes/objects.js';
import { translateStack } from '../../src/engine/runtime/kubernetes/translate.js';
import type { Stack } from '../../src/engine/stack/model.js';
import { container, network, port, stack } from '../support/stack-builder.js';

// biome-ignore lint/suspicious/noExplicitAny: tests navigate plain JSON objects
type Any = Record<string, any>;

function find(objects: KubeObject[], kind: string, name: string): Any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as Any;
}

function translate(s: Stack, options: Parameters<typeof translateStack>[1] = { namespace: 'ns' }) {
  return translateStack(s, options);
}

describe('names', () => {
  it.each([
    ['web', 'web'],
    ['Api_1', 'api-1'],
    ['9lives', 's-9lives'],
    ['--x--', 'x'],
    ['a.b.c', 'a-b-c'],
  ])('sanitizes %s to the DNS-1035 label %s', (input, expected) => {
    expect(dnsLabel(input)).toBe(expected);
  });

  it('keeps long names within 63 characters, stable and distinct', () => {
    const long = 'x'.repeat(80);
    const label = dnsLabel(long);
    expect(label.length).toBeLessThanOrEqual(63);
    expect(label).toMatch(DNS1035_LABEL);
    expect(dnsLabel(long)).toBe(label);
    expect(dnsLabel(`${long}y`)).not.toBe(label);
  });

  it('gives names that collide after sanitizing a hash suffix, keeping the one already valid', () => {
    const names = assignNames(['api-1', 'Api_1', 'API.1']);
    expect(names.get('api-1')).toBe('api-1');
    expect(new Set(names.values()).size).toBe(3);
    for (const n of names.values()) expect(n).toMatch(DNS1035_LABEL);
  });

  it.each([
    ['shop', 'shop'],
    ['my_proj-', 'my_proj'],
    ['a b', 'a-b'],
  ])('makes label value %s → %s', (input, expected) => {
    expect(labelValue(input)).toBe(expected);
  });
});

describe('workload kind from restart policy', () => {
  it.each([
    { policy: 'no', declared: false, kind: 'Deployment', restartPolicy: 'Always', backoff: undefined },
    { policy: 'no', declared: true, kind: 'Job', restartPolicy: 'Never', backoff: 0 },
    { policy: 'on-failure', retries: 3, declared: true, kind: 'Job', restartPolicy: 'OnFailure', backoff: 3 },
    {
      policy: 'on-failure',
      retries: null,
      declared: true,
      kind: 'Job',
      restartPolicy: 'OnFailure',
      backoff: 6,
    },
    { policy: 'always', declared: true, kind: 'Deployment', restartPolicy: 'Always', backoff: undefined },
    {
      policy: 'unless-stopped',
      declared: true,
      kind: 'Deployment',
      restartPolicy: 'Always',
      backoff: undefined,
    },
  ] as const)('restart $policy (declared: $declared) → $kind', (row) => {
    const spec = container('task', {
      restart: {
        policy: row.policy,
        max_retries: 'retries' in row ? (row.retries ?? null) : null,
        declared: row.declared,
      },
    });
    const t = translate(stack('p', [spec]), { namespace: 'ns' });
    const workload = find(t.objects, row.kind, 'task');
    expect(workload.spec.template.spec.restartPolicy).toBe(row.restartPolicy);
    expect(workload.spec.backoffLimit).toBe(row.backoff);
    expect(t.services[0]!.workload).toBe(row.kind);
    expect(t.services[0]!.reason).toMatch(row.kind === 'Job' ? /Job/ : /Deployment/);
  });
});

describe('container translation', () => {
  it('maps command (full argv), workdir, env, resources, replicas and healthcheck', () => {
    const spec = container('api', {
      image: 'shop/api:1',
      command: ['./server', '--port', '8000'],
      workdir: '/app',
      environment: { B: '2', A: '1' },
      resources: { cpus: 0.5, memory: 256 * 1024 * 1024 },
      replicas: 3,
      healthcheck: {
        test: ['/bin/sh', '-c', 'true'],
        interval_ms: 5000,
        timeout_ms: 2000,
        retries: 4,
        start_period_ms: 10000,
      },
      ports: [port(8000)],
    });
    const d = find(translate(stack('shop', [spec])).objects, 'Deployment', 'api');
    const c = d.spec.template.spec.containers[0];
    expect(d.spec.replicas).toBe(3);
    expect(c.command).toEqual(['./server', '--port', '8000']);
    expect(c.args).toBeUndefined();
    expect(c.workingDir).toBe('/app');
    expect(c.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(c.resources).toEqual({
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    const probe = {
      exec: { command: ['/bin/sh', '-c', 'true'] },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 4,
      initialDelaySeconds: 10,
    };
    expect(c.readinessProbe).toEqual(probe);
    expect(c.livenessProbe).toEqual(probe);
    expect(c.ports).toEqual([{ name: 'tcp-8000', containerPort: 8000, protocol: 'TCP' }]);
  });

  it('labels every object with name, part-of and managed-by, and annotates the config hash', () => {
    const t = translate(stack('shop', [container('web', { ports: [port(80, 8080)] })]), {
      namespace: 'ns',
      ownNamespace: true,
    });
    for (const o of t.objects) {
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('shop');
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('kitten');
    }
    const d = find(t.objects, 'Deployment', 'web');
    expect(d.metadata.labels['app.kubernetes.io/name']).toBe('web');
    expect(d.metadata.annotations['dev.kitten.config-hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the config hash when only replicas or depends_on change', () => {
    const hash = (s: Stack) =>
      find(translate(s).objects, 'Deployment', 'web').metadata.annotations['dev.kitten.config-hash'];
    const base = hash(stack('p', [container('web'), container('db')]));
    expect(
      hash(
        stack('p', [
          container('web', { replicas: 4, depends_on: { db: { condition: 'started' } } }),
          container('db'),
        ]),
      ),
    ).toBe(base);
    expect(hash(stack('p', [container('web', { image: 'nginx:1.28' }), container('db')]))).not.toBe(base);
  });

  it('annotates every object with the expiry of a TTL environment', () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const t = translate(stack('p', [container('web', { ports: [port(80)] })]), {
      namespace: 'p',
      ownNamespace: true,
      expiresAt,
    });
    expect(t.objects.length).toBeGreaterThan(2);
    for (const o of t.objects)
      expect(o.metadata.annotations?.['dev.kitten/expires-at']).toBe('2030-01-01T00:00:00.000Z');
  });
});

describe('services and exposure', () => {
  it('gives a container with ports a ClusterIP Service on its container ports, selecting its pods', () => {
    const t = translate(stack('p', [container('web', { ports: [port(80, 8080), port(53, null, 'udp')] })]));
    const svc = find(t.objects, 'Service', 'web');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([
      { name: 'tcp-80', port: 80, targetPort: 80, protocol: 'TCP' },
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
    expect(t.objects.some((o) => o.metadata.name === 'web-public')).toBe(false);
    expect(t.services[0]!.notes.join(' ')).toContain('kitten connect p web');
  });

  it.each([
    { expose: 'nodeport', host: 30080, type: 'NodePort', port: 80, nodePort: 30080 },
    { expose: 'nodeport', host: 8080, type: 'NodePort', port: 80, nodePort: undefined },
    { expose: 'loadbalancer', host: 8080, type: 'LoadBalancer', port: 8080, nodePort: undefined },
  ] as const)('--expose $expose publishes host port $host as a $type', (row) => {
    const t = translate(stack('p', [container('web', { ports: [port(80, row.host)] })]), {
      namespace: 'ns',
      expose: row.expose,
    });
    const svc = find(t.objects, 'Service', 'web-public');
    expect(svc.spec.type).toBe(row.type);
    expect(svc.spec.ports[0]).toMatchObject({ port: row.port, targetPort: 80 });
    expect(svc.spec.ports[0].nodePort).toBe(row.nodePort);
  });
});

describe('dependencies and networks', () => {
  it('waits for started dependencies by DNS and healthy ones by a TCP check on the Service port', () => {
    const t = translate(
      stack('p', [
        container('db', {
          ports: [port(5432)],
          healthcheck: {
            test: ['true'],
            interval_ms: 1000,
            timeout_ms: 1000,
            retries: 1,
            start_period_ms: 0,
          },
        }),
        container('cache'),
        container('api', { depends_on: { db: { condition: 'healthy' }, cache: { condition: 'started' } } }),
      ]),
    );
    const init = find(t.objects, 'Deployment', 'api').spec.template.spec.initContainers;
    expect(init.map((c: Any) => c.name)).toEqual(['wait-for-cache', 'wait-for-db']);
    expect(init[0].command[2]).toContain('nslookup cache.ns.svc.cluster.local');
    expect(init[1].command[2]).toContain('nc -z -w 2 db.ns.svc.cluster.local 5432');
    // cache has no ports: a headless Service gives it a DNS name that resolves once pods exist.
    const headless = find(t.objects, 'Service', 'cache');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(t.levels).toEqual([['db', 'cache'], ['api']]);
  });

  it('leaves completed dependencies to apply order and says so', () => {
    const t = translate(
      stack('p', [
        container('migrate', { restart: { policy: 'no', max_retries: null, declared: true } }),
        container('api', { depends_on: { migrate: { condition: 'completed' } } }),
      ]),
      { namespace: 'ns' },
    );
    const api = t.services.find((s) => s.service === 'api')!;
    expect(api.waitsFor).toEqual([{ service: 'migrate', condition: 'completed', how: 'apply-order' }]);
    expect(find(t.objects, 'Deployment', 'api').spec.template.spec.initContainers).toBeUndefined();
    expect(api.notes.join(' ')).toContain('after the migrate Job succeeds');
  });

  it('turns each bridge network into a NetworkPolicy admitting only its members', () => {
    const t = translate(
      stack(
        'p',
        [
          container('web', { networks: [{ name: 'front', ip: null }] }),
          container('api', {
            networks: [
              { name: 'front', ip: null },
              { name: 'back', ip: null },
            ],
          }),
        ],
        [network('front'), network('back')],
      ),
    );
    const front = find(t.objects, 'NetworkPolicy', 'net-front');
    const members = { matchLabels: { 'app.kubernetes.io/part-of': 'p', 'dev.kitten.network/front': 'true' } };
    expect(front.spec).toEqual({
      podSelector: members,
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: members }] }],
    });
    const api = find(t.objects, 'Deployment', 'api').spec.template.metadata.labels;
    expect(api['dev.kitten.network/front']).toBe('true');
    expect(api['dev.kitten.network/back']).toBe('true');
    expect(
      find(t.objects, 'Deployment', 'web').spec.template.metadata.labels['dev.kitten.network/back'],
    ).toBeUndefined();
  });
});

describe('untranslatable fields', () => {
  const odd = () =>
    stack(
      'p',
      [
        container('db', {
          networks: [{ name: 'default', ip: '10.0.0.5' }],
          volumes: [{ source: '/srv/p/data', target: '/var/lib/data', read_only: false }],
        }),
        container('probe', { networks: [{ name: 'host', ip: null }] }),
      ],
      [network('default'), network('host', { driver: 'host', implicit: true })],
    );

  it('warns once per field, with its path in the stack', () => {
    const t = translate(odd());
    expect(t.warnings.map((w) => w.path)).toEqual([
      'containers.db.volumes[0]',
      'containers.db.networks.default.ip',
      'containers.probe.network',
    ]);
    expect(t.warnings[0]!.message).toContain('./data:/var/lib/data');
  });

  it('fails with --strict, naming the first field', () => {
    try {
      translate(odd(), { namespace: 'ns', strict: true });
      expect.unreachable('strict translation should fail');
    } catch (error) {
      expect(isKittenError(error) && error.code).toBe('KUBE_UNTRANSLATABLE');
      expect((error as Error).message).toContain('3 fields cannot run on Kubernetes');
      expect((error as Error).message).toContain('containers.db.volumes[0]');
    }
  });
});
