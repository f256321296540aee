import { readFileSync } from 'node:fs';
import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { KittenError, RuntimeError } from '../../errors.js';
import { connectionError } from './docker-errors.js';
import type { DockerEndpoint } from './endpoint.js';
import { EngineClient } from './engine-client.js';

export interface ConnectOptions {
  /** Private key for ssh:// hosts (`-i`); else ssh-agent, then ~/.ssh/id_*. */
  identityFile?: string;
  insecureAcceptHostKey?: boolean;
  /** known_hosts to check ssh:// host keys against (default ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** Longest SSH handshake for ssh:// hosts (default 15s). */
  connectTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface DockerConnection {
  docker: EngineClient;
  endpoint: DockerEndpoint;
  /** What the remote `docker system dial-stdio` last wrote to stderr (ssh only). */
  remoteStderr(): string;
  close(): Promise<void>;
}

/**
 * SSH connections to one host, each carrying at most `perConnection` sessions: sshd refuses more
 * than MaxSessions (10 by default) on one connection, and a session it is still closing counts.
 * When every connection is full, another is opened, as the docker CLI does (one ssh per dial).
 */
class SshSessions {
  private readonly connections: { client: Promise<Client>; open: number }[] = [];

  constructor(
    first: Client,
    private readonly connect: () => Promise<Client>,
    private readonly perConnection: number,
  ) {
    this.connections.push({ client: Promise.resolve(first), open: 0 });
  }

  async exec(command: string): Promise<ClientChannel> {
    let slot = this.connections.find((c) => c.open < this.perConnection);
    if (!slot) {
      slot = { client: this.connect(), open: 0 };
      this.connections.push(slot);
    }
    const taken = slot;
    taken.open++;
    try {
      const client = await taken.client;
      const channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.exec(command, (error, opened) => (error ? reject(error) : resolve(opened))),
      );
      channel.once('close', () => {
        taken.open--;
      });
      return channel;
    } catch (error) {
      taken.open--;
      // A connection that failed to open is dropped, so the next burst tries a fresh one.
      if (taken !== this.connections[0] && (await isRejected(taken.client))) {
        this.connections.splice(this.connections.indexOf(taken), 1);
      }
      throw error;
    }
  }

  close(): void {
    for (const { client } of this.connections.splice(0)) {
      client.then((c) => c.end()).catch(() => {});
    }
  }
}

function isRejected(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => false,
    () => true,
  );
}

/**
 * HTTP over SSH the way the docker CLI does it: for each HTTP connection an exec channel running
 * `docker system dial-stdio` on the remote, which splices the channel onto the remote engine's
 * socket. Channels are kept alive and reused like TCP sockets.
 */
class DialStdioAgent extends Agent {
  lastStderr = '';

  constructor(
    private readonly sessions: SshSessions,
    options: AgentOptions,
  ) {
    super(options);
  }

  override createConnection(
    _options: ClientRequestArgs,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    this.sessions.exec('docker system dial-stdio').then(
      (channel) => {
        channel.stderr.on('data', (chunk: Buffer) => {
          this.lastStderr = `${this.lastStderr}${chunk.toString('utf8')}`.slice(-2000);
        });
        callback?.(null, asSocket(channel));
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** http's Agent tunes sockets (keep-alive, no-delay, ref/unref); an SSH channel has none of that. */
function asSocket(channel: ClientChannel): Duplex {
  const socket = channel as unknown as Record<string, unknown>;
  for (const method of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) {
    if (typeof socket[method] !== 'function') socket[method] = () => channel;
  }
  return channel;
}

function tlsFiles(env: NodeJS.ProcessEnv): { ca: Buffer; cert: Buffer; key: Buffer } {
  const dir = env.DOCKER_CERT_PATH ?? join(env.HOME || homedir(), '.docker');
  try {
    return {
      ca: readFileSync(join(dir, 'ca.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
      key: readFileSync(join(dir, 'key.pem')),
    };
  } catch (error) {
    throw new RuntimeError(
      'DOCKER_TLS_FILES',
      `cannot read the TLS client certificate in ${dir}: ${(error as Error).message}`,
      {
        hint: 'set DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem and key.pem',
      },
    );
  }
}

export async function openDocker(
  endpoint: DockerEndpoint,
  options: ConnectOptions = {},
): Promise<DockerConnection> {
  const env = options.env ?? process.env;
  if (endpoint.kind === 'unix') {
    // host/protocol are spelled out so docker-modem does not fill them in from DOCKER_HOST.
    const docker = new EngineClient({
      socketPath: endpoint.socketPath,
      host: undefined,
      protocol: undefined,
    });
    return { docker, endpoint, remoteStderr: () => '', close: async () => {} };
  }
  if (endpoint.kind === 'tcp') {
    const docker = new EngineClient({
      host: endpoint.host,
      port: endpoint.port,
      protocol: endpoint.tls ? 'https' : 'http',
      socketPath: undefined,
      ...(endpoint.tls ? tlsFiles(env) : {}),
    });
    return { docker, endpoint, remoteStderr: () => '', close: async () => {} };
  }
  const user = endpoint.user ?? env.USER ?? 'root';
  // Loaded here, not at the top: ssh2 costs every local command some 40 ms to load.
  const { connectSsh } = await import('../../ssh/index.js');
  const connect = () =>
    connectSsh(
      { user, host: endpoint.host, port: endpoint.port },
      {
        ...(options.identityFile ? { identityFile: options.identityFile } : {}),
        ...(options.knownHostsFile ? { knownHostsFile: options.knownHostsFile } : {}),
        insecureAcceptHostKey: options.insecureAcceptHostKey ?? false,
        ...(options.connectTimeoutMs ? { timeoutMs: options.connectTimeoutMs } : {}),
        env,
      },
    );
  // The first connection is made here, so a refused host key or login fails `up` at once.
  const sessions = new SshSessions(await connect(), connect, 8);
  const agent = new DialStdioAgent(sessions, { keepAlive: true, maxSockets: 8 });
  const docker = new EngineClient({
    host: 'docker',
    port: 80,
    protocol: 'http',
    socketPath: undefined,
    agent,
  });
  return {
    docker,
    endpoint,
    remoteStderr: () => agent.lastStderr.trim(),
    close: async () => {
      agent.destroy();
      sessions.close();
    },
  };
}

export interface PingResult {
  host: string;
  source: string;
  version: string;
  apiVersion: string;
  os: string;
}

/** Asks the engine for its version; the error names the socket or host that was tried. */
export async function pingConnection(connection: DockerConnection, timeoutMs = 5_000): Promise<PingResult> {
  const { endpoint } = connection;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RuntimeError(
            'DOCKER_UNREACHABLE',
            `no answer from the Docker engine at ${endpoint.url} within ${timeoutMs / 1000}s`,
            {
              hint: 'check that the engine is running and not overloaded, or point --host / DOCKER_HOST elsewhere',
            },
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const version = await Promise.race([connection.docker.version(), deadline]);
    return {
      host: endpoint.url,
      source: endpoint.source,
      version: version.Version,
      apiVersion: version.ApiVersion,
      os: version.Os,
    };
  } catch (error) {
    if (error instanceof KittenError) throw error;
    const stderr = connection.remoteStderr();
    if (endpoint.kind === 'ssh' && stderr) {
      throw new RuntimeError(
        'DOCKER_UNREACHABLE',
        `docker on ${endpoint.url} did not answer: ${stderr.split('\n').pop()}`,
        {
          hint: 'install Docker on the remote host and make sure the SSH user may use it (docker group)',
        },
      );
    }
    throw (
      connectionError(endpoint, error) ??
      new RuntimeError(
        'DOCKER_UNREACHABLE',
        `no Docker engine answers at ${endpoint.url}: ${(error as Error).message}`,
        {
          hint: 'start the engine, check DOCKER_HOST / --host, or use --runtime native',
        },
      )
    );
  } finally {
    clearTimeout(timer);
  }
}
