import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { isKittenError } from '../../src/engine/errors.js';
import type { ProgressEvent } from '../../src/engine/progress.js';
import type { DockerEndpoint } from '../../src/engine/runtime/docker/endpoint.js';
import { EngineClient } from '../../src/engine/runtime/docker/engine-client.js';
import { ImagePuller, type PullPolicy } from '../../src/engine/runtime/docker/images.js';

const endpoint: DockerEndpoint = {
  kind: 'unix',
  socketPath: '/var/run/docker.sock',
  url: 'unix:///var/run/docker.sock',
  source: 'default socket',
};
const pullStream = readFileSync(new URL('./fixtures/pull-stream.jsonl', import.meta.url), 'utf8');
const IMAGE = '127.0.0.1:5000/kitten-test/busybox:latest';

/**
 * A real EngineClient (so docker-modem's own followProgress parses the stream) whose image calls
 * answer from memory: `present` images inspect fine, pulls replay a recorded pull stream.
 */
function fakeEngine(present: Set<string>, stream: (ref: string) => string = () => pullStream) {
  const engine = new EngineClient({ socketPath: '/nonexistent/docker.sock' });
  const pulls: string[] = [];
  engine.getImage = (name: string) =>
    ({
      inspect: async () => {
        if (present.has(name)) return { Id: 'sha256:abc' };
        throw Object.assign(new Error(`No such image: ${name}`), { statusCode: 404 });
      },
    }) as unknown as Dockerode.Image;
  engine.pull = async (ref: string) => {
    pulls.push(ref);
    // The engine answers before the layers arrive: let concurrent callers pile up first.
    await new Promise((r) => setTimeout(r, 5));
    present.add(ref);
    return Readable.from([stream(ref)]);
  };
  return { engine, pulls };
}

function puller(policy: PullPolicy, present: string[] = [], stream?: (ref: string) => string) {
  const { engine, pulls } = fakeEngine(new Set(present), stream);
  const events: ProgressEvent[] = [];
  const images = new ImagePuller(
    async () => engine,
    endpoint,
    policy,
    (e) => events.push(e),
  );
  return { images, pulls, events };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return isKittenError(error) ? error.code : String(error);
  }
}

describe('ImagePuller', () => {
  it.each([
    ['missing', true, 0, 'ok'],
    ['missing', false, 1, 'ok'],
    ['never', true, 0, 'ok'],
    ['never', false, 0, 'IMAGE_NOT_PRESENT'],
    ['always', true, 1, 'ok'],
    ['always', false, 1, 'ok'],
  ] as const)(
    'under --pull %s with the image present=%s pulls %i time(s): %s',
    async (policy, present, count, code) => {
      const { images, pulls } = puller(policy, present ? [IMAGE] : []);
      expect(await codeOf(images.ensure(IMAGE))).toBe(code);
      expect(pulls).toHaveLength(count);
    },
  );

  it('reports per-layer progress and one final event for the image', async () => {
    const { images, events } = puller('missing');
    await images.ensure(IMAGE);
    expect(events[0]).toEqual({ resource: `image:${IMAGE}`, status: 'working', text: 'pulling' });
    expect(events.some((e) => e.resource === `layer:${IMAGE}@8dd878a281bf` && e.total === 1069626)).toBe(
      true,
    );
    expect(events.filter((e) => e.resource === `image:${IMAGE}` && e.status === 'done')).toEqual([
      { resource: `image:${IMAGE}`, status: 'done', text: 'pulled' },
    ]);
  });

  it('pulls an image once for every service and replica that wants it at the same time', async () => {
    const { images, pulls } = puller('always');
    await Promise.all([images.ensure(IMAGE), images.ensure(IMAGE), images.ensure(IMAGE)]);
    expect(pulls).toEqual([IMAGE]);
  });

  it('adds the latest tag the way docker does', async () => {
    const { images, pulls } = puller('missing');
    await images.ensure('127.0.0.1:5000/kitten-test/busybox');
    expect(pulls).toEqual([IMAGE]);
  });

  it('turns an error in the pull stream into IMAGE_NOT_FOUND, and tries again on the next call', async () => {
    const failing = `${JSON.stringify({ status: 'Pulling from kitten-test/busybox', id: 'latest' })}\n${JSON.stringify(
      {
        errorDetail: { message: 'manifest unknown: manifest unknown' },
        error: 'manifest unknown: manifest unknown',
      },
    )}\n`;
    const { images, pulls, events } = puller('always', [], () => failing);
    expect(await codeOf(images.ensure(IMAGE))).toBe('IMAGE_NOT_FOUND');
    expect(events.at(-1)).toMatchObject({ resource: `image:${IMAGE}`, status: 'error' });
    expect(await codeOf(images.ensure(IMAGE))).toBe('IMAGE_NOT_FOUND');
    expect(pulls).toHaveLength(2);
  });

  it.each([['./rootfs'], ['/srv/rootfs'], ['~/images/alpine']])(
    'refuses the rootfs path %s as an image',
    async (path) => {
      const { images, pulls } = puller('missing');
      expect(await codeOf(images.ensure(path))).toBe('IMAGE_IS_A_PATH');
      expect(pulls).toEqual([]);
    },
  );
});
