import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectStack } from '../../src/engine/stack/index.js';

const stacks = join(import.meta.dirname, '../../fixtures/stacks');

/** Each invalid fixture with every problem the validator must report for it, path → message fragment. */
const expected: Record<string, [string, string][]> = {
  'unknown-field.yaml': [
    ['containers.web.imgae', 'unknown field "imgae" (did you mean "image"?)'],
    ['containers.web.workdri', 'did you mean "workdir"'],
    ['networks.mynet.drvier', 'did you mean "driver"'],
  ],
  'wrong-types.yaml': [
    ['containers.web.image', 'image must be a string'],
    ['containers.web.command', 'must be a list of arguments or a command string'],
    ['containers.web.environment', 'must be a map of NAME: value'],
    ['containers.web.ports', 'must be a list'],
    ['containers.web.replicas', 'must be a number'],
  ],
  'missing-image.yaml': [
    ['containers.web.image', 'image is required'],
    ['containers.db.image', 'image is required'],
  ],
  'unknown-dependency.yaml': [
    ['containers.web.depends_on[0]', 'unknown container "dbb" (did you mean "db"?)'],
    ['containers.cache.depends_on.queue', 'unknown container "queue"'],
  ],
  'cycle.yaml': [
    ['containers.web.depends_on', 'dependency cycle: web -> api -> web'],
    ['containers.worker.depends_on[0]', 'cannot depend on itself'],
  ],
  'ports.yaml': [
    ['containers.web.ports[1]', 'host port 8080/tcp is already published by containers.web.ports[0]'],
    ['containers.web.ports[2]', '"abc" in "abc:80" is not a port number'],
    ['containers.web.ports[3]', 'port 70000 in "70000:80" is out of range (1-65535)'],
    ['containers.web.ports[4]', 'port 0 in "80:0" is out of range'],
    ['containers.web.ports[5]', 'protocol "sctp" must be tcp or udp'],
    ['containers.web.ports[6]', 'host address "1.2.3"'],
    ['containers.api.ports[0]', 'already published by containers.web.ports[0]'],
    ['containers.api.ports[2]', 'host port 9000/tcp is already published by containers.api.ports[1]'],
  ],
  'addresses.yaml': [
    ['networks.net3.subnet', 'host bits set; did you mean 10.5.0.0/24?'],
    ['networks.net2.subnet', 'overlaps 10.0.0.0/24 of network "net1"'],
    ['containers.a.ip', 'outside subnet 10.0.0.0/24'],
    ['containers.b.ip', 'is the gateway of network "net1"'],
    ['containers.d.ip', 'already used by containers.c'],
    ['containers.e.network', 'network "missing" is not declared'],
    ['containers.f.ip', 'needs a subnet on network "default"'],
    ['containers.g.ip', '"10.0.0.256" is not an IPv4 address'],
  ],
  'restart-and-resources.yaml': [
    [
      'containers.web.restart',
      'restart must be "no", "always", "unless-stopped", "on-failure" or "on-failure:N"',
    ],
    ['containers.api.restart', 'on-failure:N'],
    ['containers.web.resources.memory', '"lots" is not a memory size'],
    ['containers.web.resources.cpus', '"-1" is not a positive number of CPUs'],
    ['containers.api.resources.memory', '"12zb" is not a memory size'],
    ['containers.api.resources.cpus', '"half" is not a positive number of CPUs'],
  ],
  'compose-invalid.yml': [
    ['services.web.build', 'build is not supported'],
    ['services.web.working_dir', 'must be an absolute path'],
    ['services.web.depends_on[0]', 'unknown container "apii" (did you mean "api"?)'],
    ['services.web.ports[0]', 'port 99999 in "99999:80" is out of range'],
    ['services.api.networks.back.ipv4_address', 'outside subnet 172.28.0.0/16'],
    ['services.api.deploy.resources.limits.memory', '"huge" is not a memory size'],
  ],
  'not-yaml.yaml': [['', 'not valid YAML: line 4, column 4: bad indentation']],
  'healthy-without-healthcheck.yaml': [
    ['containers.web.depends_on.db.condition', '"db" has no healthcheck to wait for'],
  ],
};

describe('every validation rule reports each problem with its path, all at once', () => {
  it('has an expectation for every invalid fixture', () => {
    expect(readdirSync(join(stacks, 'invalid')).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, problems] of Object.entries(expected)) {
    it(`${file}: exactly the expected problems`, async () => {
      const report = await inspectStack({ file: join(stacks, 'invalid', file) });
      expect(report.stack).toBeNull();
      for (const [path, fragment] of problems) {
        expect(report.problems, `${path}: ${fragment}`).toContainEqual({
          path,
          message: expect.stringContaining(fragment),
        });
      }
      expect(report.problems).toHaveLength(problems.length);
    });
  }
});

describe('valid fixtures pass', () => {
  const valid = readdirSync(stacks).filter((f) => /\.(ya?ml|json)$/.test(f));
  it.each(valid)('%s is valid', async (file) => {
    const report = await inspectStack({ file: join(stacks, file) });
    expect(report.problems).toEqual([]);
    expect(report.stack).not.toBeNull();
  });
});
