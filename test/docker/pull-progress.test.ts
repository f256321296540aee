import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type PullMessage,
  pullEvent,
  withDefaultTag,
} from '../../src/engine/runtime/docker/pull-progress.js';

const image = '127.0.0.1:5000/kitten-test/busybox:latest';

function messages(name: string): PullMessage[] {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PullMessage);
}

describe('pullEvent over a real pull stream', () => {
  const events = messages('pull-stream.jsonl').map((m) => pullEvent(image, m));

  it('reports each layer under its own resource with byte counts while downloading', () => {
    const downloading = events.find((e) => e?.text === 'Downloading');
    expect(downloading).toEqual({
      resource: `layer:${image}@8dd878a281bf`,
      status: 'working',
      text: 'Downloading',
      current: 36445,
      total: 1069626,
    });
  });

  it('marks a layer done only when it is pulled, not when its download ends', () => {
    const layer = events.filter((e) => e?.resource.startsWith('layer:'));
    expect(layer.find((e) => e?.text === 'Download complete')?.status).toBe('working');
    expect(layer.at(-1)).toMatchObject({ status: 'done', text: 'Pull complete' });
  });

  it('reports the image-level lines under the image and drops the digest', () => {
    const imageEvents = events.filter((e) => e?.resource === `image:${image}`);
    expect(imageEvents.map((e) => e?.text)).toEqual([
      'Pulling from kitten-test/busybox',
      `Downloaded newer image for ${image}`,
    ]);
    expect(imageEvents.at(-1)?.status).toBe('done');
    expect(events.filter((e) => e === null)).toHaveLength(1);
  });

  it('turns an error message into an error event', () => {
    expect(
      pullEvent(image, { error: 'toomanyrequests', errorDetail: { message: 'toomanyrequests' } }),
    ).toEqual({
      resource: `image:${image}`,
      status: 'error',
      text: 'toomanyrequests',
    });
  });
});

describe('withDefaultTag', () => {
  it.each([
    ['busybox', 'busybox:latest'],
    ['busybox:1.36', 'busybox:1.36'],
    ['127.0.0.1:5000/kitten-test/busybox', '127.0.0.1:5000/kitten-test/busybox:latest'],
    ['127.0.0.1:5000/kitten-test/busybox:v2', '127.0.0.1:5000/kitten-test/busybox:v2'],
    ['nginx@sha256:abc', 'nginx@sha256:abc'],
  ])('%s → %s', (input, expected) => {
    expect(withDefaultTag(input)).toBe(expected);
  });
});
