import { createRequire, Module } from 'node:module';
import type Dockerode from 'dockerode';

/**
 * The handful of top-level Docker Engine calls the driver makes, over dockerode's own object
 * classes (Container, Network, Image, Exec) and its transport, docker-modem.
 *
 * Why not `new Dockerode()`: dockerode's entry module loads its BuildKit session support (gRPC
 * and protobuf) on import, which costs every `kitten` invocation 100-300 ms and Kitten uses none
 * of it. The object classes and the modem are the same code dockerode itself uses.
 */
const require = createRequire(import.meta.url);

/** docker-modem's options; `undefined` is spelled out to stop it filling them in from DOCKER_HOST. */
export interface ModemOptions {
  socketPath?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  protocol?: 'http' | 'https' | undefined;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  agent?: import('node:http').Agent;
}

interface Modem {
  dial(options: Record<string, unknown>, callback: (error: Error | null, data: unknown) => void): void;
  followProgress(
    stream: NodeJS.ReadableStream,
    onFinished: (error: Error | null, output: unknown[]) => void,
    onProgress: (event: unknown) => void,
  ): void;
  demuxStream(
    stream: NodeJS.ReadableStream,
    stdout: NodeJS.WritableStream,
    stderr: NodeJS.WritableStream,
  ): void;
  Promise: PromiseConstructor;
}

type ObjectClass<T> = new (modem: Modem, id: string) => T;

/**
 * docker-modem loads ssh2 at import time for its own ssh:// transport, which Kitten never uses
 * (ssh:// engines go through DialStdioAgent, over Kitten's SSH connection). Registering its ssh
 * module first spares every local command loading ssh2.
 */
function skipModemSsh(): void {
  const path = require.resolve('docker-modem/lib/ssh.js');
  if (require.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = () => {
    throw new Error("docker-modem's own ssh transport is not used by Kitten");
  };
  require.cache[path] = stub;
}

skipModemSsh();
const ModemClass = require('docker-modem') as new (options: ModemOptions) => Modem;
const ContainerClass = require('dockerode/lib/container') as ObjectClass<Dockerode.Container>;
const NetworkClass = require('dockerode/lib/network') as ObjectClass<Dockerode.Network>;
const ImageClass = require('dockerode/lib/image') as ObjectClass<Dockerode.Image>;
const { parseRepositoryTag } = require('dockerode/lib/util') as {
  parseRepositoryTag(ref: string): { repository: string; tag?: string };
};

export class EngineClient {
  readonly modem: Modem;

  constructor(options: ModemOptions) {
    this.modem = new ModemClass(options);
    this.modem.Promise = Promise;
  }

  private dial<T>(options: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.modem.dial(options, (error, data) => (error ? reject(error) : resolve(data as T)));
    });
  }

  getContainer(id: string): Dockerode.Container {
    return new ContainerClass(this.modem, id);
  }

  getNetwork(id: string): Dockerode.Network {
    return new NetworkClass(this.modem, id);
  }

  getImage(name: string): Dockerode.Image {
    return new ImageClass(this.modem, name);
  }

  async createContainer(options: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container> {
    const created = await this.dial<{ Id: string }>({
      path: '/containers/create?',
      method: 'POST',
      options,
      statusCodes: {
        200: true,
        201: true,
        400: 'bad parameter',
        404: 'no such image',
        409: 'conflict',
        500: 'server error',
      },
    });
    return this.getContainer(created.Id);
  }

  createNetwork(options: Dockerode.NetworkCreateOptions): Promise<{ Id: string }> {
    return this.dial({
      path: '/networks/create?',
      method: 'POST',
      options,
      statusCodes: {
        200: true,
        201: true,
        403: 'forbidden',
        404: 'driver not found',
        409: 'conflict',
        500: 'server error',
      },
    });
  }

  listContainers(options: { all?: boolean; filters?: string }): Promise<Dockerode.ContainerInfo[]> {
    return this.dial({
      path: '/containers/json?',
      method: 'GET',
      options,
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
    });
  }

  listNetworks(options: { filters?: string }): Promise<Dockerode.NetworkInspectInfo[]> {
    return this.dial({
      path: '/networks?',
      method: 'GET',
      options,
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
    });
  }

  /** Starts a pull; the stream carries the engine's JSON progress messages. */
  pull(ref: string): Promise<NodeJS.ReadableStream> {
    const { repository, tag } = parseRepositoryTag(ref);
    return this.dial({
      path: '/images/create?',
      method: 'POST',
      options: { fromImage: repository, tag: tag ?? 'latest' },
      isStream: true,
      statusCodes: { 200: true, 404: 'not found', 500: 'server error' },
    });
  }

  version(): Promise<{ Version: string; ApiVersion: string; Os: string }> {
    return this.dial({ path: '/version', method: 'GET', statusCodes: { 200: true, 500: 'server error' } });
  }
}
