import { createRequire } from 'node:module';

/**
 * @kubernetes/client-node 2 pulls in undici 8, which is written for Node 22: at load time it
 * binds zlib.createZstdDecompress and worker_threads.markAsUncloneable, and fetch() calls
 * Promise.withResolvers. Kitten supports Node 20, so before client-node is first imported this
 * module fills in exactly those three: zstd responses are refused (an API server only sends
 * them when asked to, and Kitten never asks), marking an object uncloneable is a no-op (it only
 * guards structuredClone of web objects), and withResolvers is the ES2024 standard shape.
 * Import it before '@kubernetes/client-node' in every module that loads the client.
 */
const require = createRequire(import.meta.url);
const zlib = require('node:zlib') as Record<string, unknown>;
const workerThreads = require('node:worker_threads') as Record<string, unknown>;

if (typeof zlib.createZstdDecompress !== 'function') {
  zlib.createZstdDecompress = () => {
    throw new Error('zstd-encoded responses need Node 22 or later');
  };
}
if (typeof workerThreads.markAsUncloneable !== 'function') {
  workerThreads.markAsUncloneable = () => {};
}

interface WithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseWithResolvers = Promise as unknown as { withResolvers?: <T>() => WithResolvers<T> };
if (typeof PromiseWithResolvers.withResolvers !== 'function') {
  PromiseWithResolvers.withResolvers = <T>(): WithResolvers<T> => {
    let resolve!: WithResolvers<T>['resolve'];
    let reject!: WithResolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
