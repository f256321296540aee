import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StackPlan } from '../../src/engine/stack/index.js';
import { root, runCli } from '../support/cli.js';
import { componentAvailable, hasCommand } from '../support/testbed.js';

type JsonSchema = {
  $schema: string;
  properties: {
    containers: {
      additionalProperties: { properties: object; required: string[]; additionalProperties: boolean };
    };
  };
};

const fixture = (name: string) => join(root, 'fixtures/stacks', name);
const temp = mkdtempSync(join(tmpdir(), 'kitten-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('kitten validate', () => {
  it('prints {"valid":true,...} and exits 0 for a valid file', () => {
    const r = runCli(['validate', '-f', fixture('readme-example.json'), '--json']);
    expect(r.status).toBe(0);
    expect(r.json()).toMatchObject({ valid: true, format: 'kitten', containers: 3, networks: 1, errors: [] });
  });

  it('prints every problem with its path and exits 1 for an invalid file', () => {
    const r = runCli(['validate', '-f', fixture('invalid/unknown-dependency.yaml'), '--json']);
    expect(r.status).toBe(1);
    expect(r.json()).toMatchObject({
      valid: false,
      errors: [
        { path: 'containers.web.depends_on[0]', message: expect.stringContaining('"dbb"') },
        { path: 'containers.cache.depends_on.queue', message: expect.stringContaining('"queue"') },
      ],
    });
  });

  it('reports compose problems at their compose paths', () => {
    const r = runCli(['validate', '-f', fixture('invalid/compose-invalid.yml'), '--json']);
    expect(r.status).toBe(1);
    const paths = (r.json() as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toContain('services.web.working_dir');
    expect(paths.every((p) => !p.startsWith('containers.'))).toBe(true);
  });

  it('human output lists the problems, one per line', () => {
    const r = runCli(['validate', '-f', fixture('invalid/cycle.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('containers.web.depends_on: dependency cycle: web -> api -> web');
  });

  it('a missing file is a usage error with a hint, not a stack trace', () => {
    const r = runCli(['validate', '-f', join(temp, 'nope.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope\.yaml: no such file/);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('stack file discovery and project names', () => {
  it('finds kitten.yaml before compose.yaml and names the project after the directory', () => {
    const dir = join(temp, 'My Shop');
    cpSync(fixture('hello.yaml'), join(dir, 'kitten.yaml'), { recursive: true });
    cpSync(fixture('docker-compose.yml'), join(dir, 'compose.yaml'));
    const r = runCli(['validate', '--json'], { cwd: dir });
    expect(r.json()).toMatchObject({
      valid: true,
      format: 'kitten',
      project: 'my-shop',
      file: join(dir, 'kitten.yaml'),
    });
  });

  it('falls back to docker-compose.yml and takes the compose name', () => {
    const dir = join(temp, 'compose-only');
    cpSync(fixture('docker-compose.yml'), join(dir, 'docker-compose.yml'), { recursive: true });
    const r = runCli(['up', '--dry-run', '--json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.json()).toMatchObject({ project: 'shop', format: 'compose' });
  });

  it('-p overrides the project name and is checked', () => {
    expect(runCli(['validate', '-f', fixture('hello.yaml'), '-p', 'demo', '--json']).json()).toMatchObject({
      project: 'demo',
    });
    const bad = runCli(['validate', '-f', fixture('hello.yaml'), '-p', 'Bad Name']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('project name "Bad Name" is not valid');
  });

  it('says which files it looked for when there is none', () => {
    const dir = mkdtempSync(join(temp, 'empty-'));
    const r = runCli(['validate'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('kitten.yaml, kitten.yml, kitten.json, compose.yaml, docker-compose.yml');
  });
});

describe('kitten up --dry-run', () => {
  it('prints the normalized stack with start levels and parsed ports', () => {
    const r = runCli(['up', '--dry-run', '-f', fixture('readme-example.json'), '--json']);
    expect(r.status).toBe(0);
    const plan = r.json() as StackPlan;
    expect(plan.order).toEqual([['db', 'cache'], ['web']]);
    expect(plan.networks.mynet).toEqual({
      name: 'mynet',
      driver: 'bridge',
      subnet: '10.0.0.0/24',
      gateway: '10.0.0.1',
      implicit: false,
    });
    expect(plan.containers.web!).toMatchObject({
      image: 'nginx:latest',
      hostname: 'web',
      workdir: '/',
      ports: [{ host: 8080, container: 80, protocol: 'tcp', host_ip: null }],
      networks: [{ name: 'mynet', ip: null }],
      depends_on: { db: { condition: 'started' }, cache: { condition: 'started' } },
      restart: { policy: 'no', max_retries: null },
      replicas: 1,
    });
  });

  it('normalizes compose files into the same model', () => {
    const plan = runCli([
      'up',
      '--dry-run',
      '-f',
      fixture('docker-compose.yml'),
      '--json',
    ]).json() as StackPlan;
    expect(plan.order).toEqual([['db'], ['api'], ['web']]);
    expect(plan.containers.api!).toMatchObject({
      command: ['./server', '--port', '8000'],
      workdir: '/app',
      environment: { LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://db/shop' },
      networks: [
        { name: 'front', ip: null },
        { name: 'back', ip: '172.28.0.20' },
      ],
      resources: { cpus: 0.5, memory: 256 * 1024 * 1024 },
      healthcheck: {
        test: ['wget', '-qO-', 'http://localhost:8000/health'],
        interval_ms: 10_000,
        timeout_ms: 2000,
        retries: 3,
      },
    });
    expect(plan.containers.web!.ports).toEqual([
      { host: 8080, container: 80, protocol: 'tcp', host_ip: null },
      { host: 8443, container: 443, protocol: 'tcp', host_ip: null },
    ]);
    expect(plan.containers.web!.depends_on).toEqual({ api: { condition: 'healthy' } });
    expect(plan.networks.back).toMatchObject({ subnet: '172.28.0.0/16', gateway: '172.28.0.1' });
  });

  it('refuses an invalid file before touching any runtime (exit 1, every problem in the JSON error)', () => {
    const r = runCli(['up', '--dry-run', '-f', fixture('invalid/ports.yaml'), '--json']);
    expect(r.status).toBe(1);
    const error = (r.json() as { error: { code: string; details: { problems: unknown[] } } }).error;
    expect(error.code).toBe('STACK_INVALID');
    expect(error.details.problems).toHaveLength(8);
  });
});

describe('schema and the CLI edge', () => {
  it('kitten schema prints a JSON Schema that knows every container field', () => {
    const schema = runCli(['schema']).json() as JsonSchema;
    expect(schema.$schema).toContain('json-schema.org');
    const container = schema.properties.containers.additionalProperties;
    expect(Object.keys(container.properties)).toEqual(
      expect.arrayContaining([
        'image',
        'command',
        'hostname',
        'workdir',
        'environment',
        'ports',
        'network',
        'ip',
        'depends_on',
        'restart',
        'healthcheck',
        'resources',
        'volumes',
        'labels',
        'replicas',
      ]),
    );
    expect(container.required).toEqual(['image']);
    expect(container.additionalProperties).toBe(false);
  });

  it('an unknown flag is a usage error (exit 2) in one line', () => {
    const r = runCli(['validate', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toContain('Nonexistent flag: --bogus');
  });

  it('a missing argument is named in the one line', () => {
    const r = runCli(['exec']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain('Missing 1 required arg: service');
  });

  it('a bad DOCKER_HOST is named as DOCKER_HOST, and --host as --host', () => {
    const fromEnv = runCli(['ps', '--runtime', 'docker'], { env: { DOCKER_HOST: 'bogus://engine' } });
    expect(fromEnv.status).toBe(2);
    expect(fromEnv.stderr.split('\n')[0]).toContain(
      'invalid Docker host "bogus://engine" (from DOCKER_HOST)',
    );
    const fromFlag = runCli(['ps', '--runtime', 'docker', '--host', 'bogus://engine'], {
      env: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
    });
    expect(fromFlag.status).toBe(2);
    expect(fromFlag.stderr.split('\n')[0]).toContain('(from --host)');
  });

  it('--json errors are JSON on stdout', () => {
    const r = runCli(['validate', '-f', '/nonexistent/kitten.yaml', '--json']);
    expect(r.status).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'STACK_UNREADABLE', hint: expect.any(String) } });
  });

  it('a YAML syntax error names the line', () => {
    writeFileSync(join(temp, 'broken.yaml'), 'containers:\n  web:\n    image: [nginx\n');
    const r = runCli(['validate', '-f', join(temp, 'broken.yaml'), '--json']);
    expect(r.status).toBe(1);
    expect((r.json() as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /not valid YAML: line \d+/,
    );
  });
});

describe('entry points', () => {
  it('kitten --version answers with the oclif version line', () => {
    expect(runCli(['--version']).stdout).toMatch(/^kitten\/\d+\.\d+\.\d+ linux-\w+ node-v\d+/);
  });

  it('codex starts in the codex topic, ask in the ask command', () => {
    expect(runCli(['--help'], { bin: 'codex.js' }).stdout).toContain('kitten codex');
    const ask = runCli(['--help'], { bin: 'ask.js' });
    expect(ask.status).toBe(0);
    expect(ask.stdout).toMatch(/USAGE\s+\$ kitten ask/);
  });

  it('kubectl-kitten is the same CLI (kubectl plugin)', () => {
    expect(runCli(['--version'], { bin: 'kubectl-kitten.js' }).stdout).toMatch(/^kubectl-kitten\/\d/);
    expect(
      runCli(['validate', '-f', fixture('hello.yaml'), '--json'], { bin: 'kubectl-kitten.js' }).json(),
    ).toMatchObject({ valid: true });
  });
});

describe.runIf(componentAvailable('kubectl', hasCommand('kubectl') ? null : 'kubectl is not installed'))(
  'kubectl plugin',
  () => {
    it('`kubectl kitten` finds the plugin on node_modules/.bin after install', () => {
      const result = spawnSync('kubectl', ['kitten', '--version'], {
        cwd: root,
        env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` },
        encoding: 'utf8',
      });
      expect(result.stdout).toMatch(/^kubectl-kitten\/\d+\.\d+\.\d+ /);
    });
  },
);
