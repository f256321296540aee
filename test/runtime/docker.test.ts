import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isKittenError } from '../../src/engine/errors.js';
import { down, up } from '../../src/engine/orchestrator/lifecycle.js';
import type { ProgressEvent } from '../../src/engine/progress.js';
import { createDockerRuntime, type DockerRuntimeOptions } from '../../src/engine/runtime/docker/index.js';
import { containerName, type Runtime } from '../../src/engine/runtime/types.js';
import { container, stack } from '../support/stack-builder.js';
import { componentAvailable, loadTestbed } from '../support/testbed.js';
import { dockerProblem, sshProblem } from './docker-testbed.js';
import { defineRuntimeScenarios, eventually, freePort, loadScenario, uniqueProject } from './scenarios.js';

const testbed = loadTestbed();
const available = componentAvailable('docker', await dockerProblem(testbed));
const image = testbed.docker?.image ?? '';
const host = testbed.docker?.host ?? '';

defineRuntimeScenarios('docker', () => createDockerRuntime({ host }), { available, image });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return isKittenError(error) ? error.code : String(error);
  }
}

/** Opens runtimes and remembers the projects they bring up, so every test cleans up after itself. */
function harness() {
  const opened: { runtime: Runtime; projects: Set<string> }[] = [];
  return {
    open(options: DockerRuntimeOptions = {}) {
      const entry = { runtime: createDockerRuntime({ host, ...options }), projects: new Set<string>() };
      opened.push(entry);
      return entry;
    },
    async cleanup() {
      for (const { runtime, projects } of opened.splice(0)) {
        for (const project of projects) await down(project, runtime, () => {}).catch(() => {});
        await runtime.close();
      }
    },
  };
}

describe.runIf(available)('docker runtime: pulls from the loopback registry', () => {
  const h = harness();
  const registryImage = testbed.registry?.image ?? '';
  const engine = new Dockerode({ socketPath: host.replace(/^unix:\/\//, '') });
  afterEach(() => h.cleanup());

  async function removeLocalCopy() {
    await engine
      .getImage(registryImage)
      .remove({ force: true })
      .catch(() => {});
  }

  it('pulls a missing image with per-layer progress, then runs it', async () => {
    await removeLocalCopy();
    const events: ProgressEvent[] = [];
    const { runtime, projects } = h.open({ pull: 'missing', progress: (e) => events.push(e) });
    const stack = await loadScenario('single', uniqueProject('pull'), registryImage);
    projects.add(stack.project);
    await up(stack, runtime, { progress: () => {}, waitTimeoutMs: 30_000 });

    const layers = events.filter((e) => e.resource.startsWith(`layer:${registryImage}@`));
    expect(layers.some((e) => e.status === 'working' && e.total !== undefined && e.total > 0)).toBe(true);
    expect(layers.at(-1)).toMatchObject({ status: 'done', text: 'Pull complete' });
    expect(events.at(-1)).toEqual({ resource: `image:${registryImage}`, status: 'done', text: 'pulled' });
    expect((await runtime.inspect(containerName(stack.project, 'app', 1)))?.state).toBe('running');
  });

  it('does not pull a present image under --pull missing, and pulls it again under --pull always', async () => {
    const events: ProgressEvent[] = [];
    const missing = h.open({ pull: 'missing', progress: (e) => events.push(e) });
    const first = await loadScenario('single', uniqueProject('pull'), registryImage);
    missing.projects.add(first.project);
    await up(first, missing.runtime, { progress: () => {} });
    events.length = 0;
    const second = await loadScenario('single', uniqueProject('pull'), registryImage);
    missing.projects.add(second.project);
    await up(second, missing.runtime, { progress: () => {} });
    expect(events).toEqual([]);

    const always = h.open({ pull: 'always', progress: (e) => events.push(e) });
    const third = await loadScenario('single', uniqueProject('pull'), registryImage);
    always.projects.add(third.project);
    await up(third, always.runtime, { progress: () => {} });
    expect(events[0]).toEqual({ resource: `image:${registryImage}`, status: 'working', text: 'pulling' });
    expect(events.at(-1)?.text).toBe('pulled');
  });

  it('refuses to pull under --pull never, naming the image', async () => {
    await removeLocalCopy();
    const { runtime, projects } = h.open({ pull: 'never' });
    const stack = await loadScenario('single', uniqueProject('pull'), registryImage);
    projects.add(stack.project);
    const failure = up(stack, runtime, { progress: () => {} });
    await expect(failure).rejects.toThrow(`image ${registryImage} is not on the engine`);
    expect(await runtime.list(stack.project)).toEqual([]);
  });

  it('says an image the registry does not have is not found', async () => {
    const missingImage = registryImage.replace(/busybox:latest$/, 'no-such-image:latest');
    const { runtime, projects } = h.open({ pull: 'missing' });
    const stack = await loadScenario('single', uniqueProject('pull'), missingImage);
    projects.add(stack.project);
    expect(await codeOf(up(stack, runtime, { progress: () => {} }))).toBe('IMAGE_NOT_FOUND');
    expect(await runtime.listNetworks(stack.project)).toEqual([]);
  });
});

describe.runIf(available)('docker runtime: clear errors, nothing left half-made', () => {
  const h = harness();
  let holder: Server | undefined;
  afterEach(async () => {
    await h.cleanup();
    await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
    holder = undefined;
  });

  it('names the host port already in use and rolls back what the run created', async () => {
    const port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder?.listen(port, '0.0.0.0', resolve));
    const { runtime, projects } = h.open();
    const stack = await loadScenario('published-port', uniqueProject('port'), image);
    const web = stack.containers.web;
    if (!web?.ports[0]) throw new Error('published-port.yaml publishes a port');
    web.ports[0].host = port;
    projects.add(stack.project);
    try {
      await up(stack, runtime, { progress: () => {} });
      expect.unreachable('up should fail while the port is held');
    } catch (error) {
      expect(isKittenError(error) && error.code).toBe('PORT_ALLOCATED');
      expect((error as Error).message).toContain(`host port ${port} is already in use`);
    }
    expect(await runtime.list(stack.project)).toEqual([]);
    expect(await runtime.listNetworks(stack.project)).toEqual([]);
  });

  it('leaves what a failed up created in place with keepOnFailure', async () => {
    const port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder?.listen(port, '0.0.0.0', resolve));
    const { runtime, projects } = h.open();
    const stack = await loadScenario('published-port', uniqueProject('keep'), image);
    const web = stack.containers.web;
    if (!web?.ports[0]) throw new Error('published-port.yaml publishes a port');
    web.ports[0].host = port;
    projects.add(stack.project);
    expect(await codeOf(up(stack, runtime, { progress: () => {}, keepOnFailure: true }))).toBe(
      'PORT_ALLOCATED',
    );
    expect((await runtime.list(stack.project)).map((c) => [c.service, c.state])).toEqual([
      ['web', 'created'],
    ]);
    expect((await runtime.listNetworks(stack.project)).map((n) => n.network)).toEqual(['default']);
  });

  it('says when a subnet overlaps an existing network', async () => {
    const { runtime } = h.open();
    const subnet = `10.214.${1 + Math.floor(Math.random() * 254)}.0/24`;
    const spec = { name: 'net', driver: 'bridge' as const, subnet, gateway: null, implicit: false };
    const first = uniqueProject('subnet');
    const second = uniqueProject('subnet');
    await runtime.ensureNetwork(first, spec);
    try {
      const failure = runtime.ensureNetwork(second, spec);
      await expect(failure).rejects.toThrow(`subnet ${subnet} overlaps a network that already exists`);
      expect(await codeOf(runtime.ensureNetwork(second, spec))).toBe('NETWORK_SUBNET_CLASH');
    } finally {
      await runtime.removeNetwork(first, 'net');
    }
  });

  it('says which socket it tried when no engine answers there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kitten-nosock-'));
    try {
      const runtime = createDockerRuntime({ host: `unix://${dir}/docker.sock` });
      const failure = runtime.list('anything');
      await expect(failure).rejects.toThrow(
        `no Docker engine at unix://${dir}/docker.sock (from --host): the socket does not exist`,
      );
      await runtime.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a rootfs path as an image', async () => {
    const { runtime, projects } = h.open();
    const stack = await loadScenario('single', uniqueProject('path'), './rootfs');
    projects.add(stack.project);
    expect(await codeOf(up(stack, runtime, { progress: () => {} }))).toBe('IMAGE_IS_A_PATH');
  });

  it('reports a created container exactly as the engine then inspects it', async () => {
    const { runtime, projects } = h.open();
    const stack = await loadScenario('published-port', uniqueProject('created'), image);
    const web = stack.containers.web;
    if (!web?.ports[0]) throw new Error('published-port.yaml publishes a port');
    web.ports = [
      { host: await freePort(), container: 80, protocol: 'tcp', host_ip: '127.0.0.1' },
      { host: null, container: 9000, protocol: 'tcp', host_ip: null },
    ];
    projects.add(stack.project);
    const network = stack.networks.default;
    if (!network) throw new Error('the stack has its default network');
    await runtime.ensureNetwork(stack.project, network);
    const name = containerName(stack.project, 'web', 1);
    const created = await runtime.createContainer({
      project: stack.project,
      spec: web,
      replica: 1,
      name,
      configHash: 'f'.repeat(64),
      baseDir: '/',
    });
    expect(created).toEqual(await runtime.inspect(name));
  });

  it('applies hostname, workdir, environment, bind mounts and resource limits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kitten-binds-'));
    try {
      mkdirSync(join(dir, 'rw'));
      mkdirSync(join(dir, 'ro'));
      writeFileSync(join(dir, 'ro', 'config'), 'from the host\n');
      const { runtime, projects } = h.open();
      const stack = await loadScenario('single', uniqueProject('config'), image);
      const app = stack.containers.app;
      if (!app) throw new Error('single.yaml has app');
      Object.assign(app, {
        hostname: 'inventory',
        workdir: '/data',
        environment: { GREETING: 'hello there' },
        volumes: [
          { source: join(dir, 'rw'), target: '/data', read_only: false },
          { source: join(dir, 'ro'), target: '/etc/app', read_only: true },
        ],
        resources: { cpus: 0.5, memory: 64 * 1024 * 1024 },
      });
      projects.add(stack.project);
      await up(stack, runtime, { progress: () => {} });
      const name = containerName(stack.project, 'app', 1);
      const script =
        'hostname; pwd; echo "$GREETING"; cat /etc/app/config; echo written > out; touch /etc/app/x 2>/dev/null || echo read-only';
      const result = await runtime.exec(name, ['/bin/sh', '-c', script]);
      expect(result.stdout.split('\n')).toEqual([
        'inventory',
        '/data',
        'hello there',
        'from the host',
        'read-only',
        '',
      ]);
      expect(readFileSync(join(dir, 'rw', 'out'), 'utf8')).toBe('written\n');
      const engine = new Dockerode({ socketPath: host.replace(/^unix:\/\//, '') });
      const info = await engine.getContainer(name).inspect();
      expect(info.HostConfig).toMatchObject({ NanoCpus: 500_000_000, Memory: 64 * 1024 * 1024 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('labels every container and network it creates with project, service and config hash', async () => {
    const { runtime, projects } = h.open();
    const stack = await loadScenario('by-name', uniqueProject('labels'), image);
    const backend = stack.networks.backend;
    const api = stack.containers.api;
    if (!backend || !api?.networks[0]) throw new Error('by-name.yaml shape changed');
    const octet = 1 + Math.floor(Math.random() * 254);
    backend.subnet = `10.215.${octet}.0/24`;
    backend.gateway = `10.215.${octet}.1`;
    api.networks[0].ip = `10.215.${octet}.10`;
    projects.add(stack.project);
    await up(stack, runtime, { progress: () => {} });
    const engine = new Dockerode({ socketPath: host.replace(/^unix:\/\//, '') });
    const container = await engine.getContainer(containerName(stack.project, 'api', 1)).inspect();
    expect(container.Config.Labels).toMatchObject({
      'dev.kitten.project': stack.project,
      'dev.kitten.service': 'api',
      'dev.kitten.replica': '1',
    });
    expect(container.Config.Labels['dev.kitten.config-hash']).toMatch(/^[0-9a-f]{64}$/);
    const network = await engine.getNetwork(`${stack.project}_backend`).inspect();
    expect(network.Labels).toMatchObject({
      'dev.kitten.project': stack.project,
      'dev.kitten.network': 'backend',
    });
    expect(network.Labels?.['dev.kitten.config-hash']).toMatch(/^[0-9a-f]{16}$/);
  });
});

const ssh = testbed.ssh;
const sshAvailable = available && componentAvailable('sshd', sshProblem(testbed));

// The same scenarios again with the engine reached over ssh:// (exec, logs and follow included).
defineRuntimeScenarios(
  'docker over ssh://',
  () =>
    createDockerRuntime({
      host: `ssh://${ssh?.user}@${ssh?.host}:${ssh?.port}`,
      identityFile: ssh?.identityFile ?? '',
      knownHostsFile: ssh?.knownHosts ?? '',
    }),
  { available: sshAvailable, image },
);

describe.runIf(sshAvailable)('docker runtime over ssh:// on loopback', () => {
  const h = harness();
  const scratch = mkdtempSync(join(tmpdir(), 'kitten-ssh-'));
  const sshHost = `ssh://${ssh?.user}@${ssh?.host}:${ssh?.port}`;
  const identity = { identityFile: ssh?.identityFile ?? '', knownHostsFile: ssh?.knownHosts ?? '' };
  afterEach(() => h.cleanup());
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('brings a stack up, reaches it, reads its logs and takes it down through the remote engine', async () => {
    const { runtime, projects } = h.open({ host: sshHost, ...identity });
    const stack = await loadScenario('by-name', uniqueProject('ssh'), image);
    const backend = stack.networks.backend;
    const api = stack.containers.api;
    if (!backend || !api?.networks[0]) throw new Error('by-name.yaml shape changed');
    const octet = 1 + Math.floor(Math.random() * 254);
    backend.subnet = `10.216.${octet}.0/24`;
    backend.gateway = `10.216.${octet}.1`;
    api.networks[0].ip = `10.216.${octet}.10`;
    projects.add(stack.project);
    await up(stack, runtime, { progress: () => {}, waitTimeoutMs: 30_000 });

    const client = containerName(stack.project, 'client', 1);
    const body = await eventually(async () => {
      const result = await runtime.exec(client, ['busybox', 'wget', '-q', '-O', '-', 'http://api:8080/']);
      return result.exitCode === 0 ? result.stdout : undefined;
    }, 'client to reach api over the remote engine');
    expect(body.trim()).toBe('pong');
    expect((await runtime.list(stack.project)).map((c) => [c.service, c.state])).toEqual([
      ['api', 'running'],
      ['client', 'running'],
    ]);

    // What the remote engine holds is what the local socket shows: it is the same engine here.
    const local = createDockerRuntime({ host });
    expect((await local.list(stack.project)).map((c) => c.name)).toEqual([
      containerName(stack.project, 'api', 1),
      client,
    ]);
    await local.close();

    await down(stack.project, runtime, () => {});
    projects.delete(stack.project);
    expect(await runtime.list(stack.project)).toEqual([]);
    expect(await runtime.listNetworks(stack.project)).toEqual([]);
  });

  it('brings up and removes more containers at once than sshd allows sessions on one connection', async () => {
    // sshd refuses more than 10 sessions on one connection (MaxSessions): sixteen at once need more.
    const { runtime, projects } = h.open({ host: sshHost, ...identity });
    const project = uniqueProject('ssh-many');
    const command = ['/bin/sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];
    const many = stack(
      project,
      Array.from({ length: 16 }, (_, i) => container(`svc-${i}`, { image, command })),
    );
    projects.add(project);
    await up(many, runtime, { progress: () => {}, concurrency: 16 });
    const listed = await runtime.list(project);
    expect(listed.filter((c) => c.state === 'running')).toHaveLength(16);
    await down(project, runtime, () => {});
    projects.delete(project);
    expect(await runtime.list(project)).toEqual([]);
  });

  it('refuses a host whose key is not in known_hosts, unless told to accept it', async () => {
    const emptyKnownHosts = join(scratch, 'known_hosts');
    writeFileSync(emptyKnownHosts, '');
    const strict = h.open({
      host: sshHost,
      identityFile: identity.identityFile,
      knownHostsFile: emptyKnownHosts,
    });
    expect(await codeOf(strict.runtime.projects())).toBe('SSH_HOST_KEY_UNKNOWN');

    const accepting = h.open({
      host: sshHost,
      identityFile: identity.identityFile,
      knownHostsFile: emptyKnownHosts,
      insecureAcceptHostKey: true,
    });
    expect(await codeOf(accepting.runtime.projects())).toBe('no error');
  });

  it('refuses a host key that contradicts known_hosts even when accepting unknown keys', async () => {
    const wrong = join(scratch, 'known_hosts_wrong');
    // A well-formed ed25519 key that is not the server's.
    writeFileSync(
      wrong,
      `[${ssh?.host}]:${ssh?.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`,
    );
    const { runtime } = h.open({
      host: sshHost,
      identityFile: identity.identityFile,
      knownHostsFile: wrong,
      insecureAcceptHostKey: true,
    });
    expect(await codeOf(runtime.projects())).toBe('SSH_HOST_KEY_MISMATCH');
  });
});
