import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { RuntimeError } from '../../errors.js';
import type { PortMapping } from '../../stack/model.js';

/**
 * Published ports, as Docker's docker-proxy does them: a userland listener on the host that
 * relays each connection (TCP) or each client's datagrams (UDP) to the container's address.
 * Listeners are bound when the container is created, so a port in use fails before anything starts.
 */
export interface PortProxy {
  mapping: PortMapping;
  /** Where to relay to; null while the container has no address (it is stopped). */
  setTarget(target: string | null): void;
  close(): Promise<void>;
}

const UDP_IDLE_MS = 60_000;

function portInUse(mapping: PortMapping, error: NodeJS.ErrnoException): RuntimeError {
  const where = `${mapping.host_ip ?? '0.0.0.0'}:${mapping.host}/${mapping.protocol}`;
  if (error.code === 'EADDRINUSE') {
    return new RuntimeError('PORT_IN_USE', `port ${where} is already in use on this host`, {
      hint: `stop whatever listens there (ss -ltnp 'sport = :${mapping.host}') or publish another host port`,
    });
  }
  return new RuntimeError('PORT_BIND_FAILED', `cannot publish ${where}: ${error.message}`, {
    hint: 'ports below 1024 need root; check the host address exists',
  });
}

async function tcpProxy(mapping: PortMapping): Promise<PortProxy> {
  let target: string | null = null;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    if (!target) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target, port: mapping.container });
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(portInUse(mapping, error)));
    server.listen({ host: mapping.host_ip ?? '0.0.0.0', port: mapping.host ?? 0, exclusive: true }, resolve);
  });
  return {
    mapping,
    setTarget: (t) => {
      target = t;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function udpProxy(mapping: PortMapping): Promise<PortProxy> {
  let target: string | null = null;
  const socket = createSocket('udp4');
  // One upstream socket per client address, so replies find their way back.
  const flows = new Map<string, { upstream: UdpSocket; timer: NodeJS.Timeout }>();
  socket.on('message', (message, remote) => {
    if (!target) return;
    const key = `${remote.address}:${remote.port}`;
    let flow = flows.get(key);
    if (!flow) {
      const upstream = createSocket('udp4');
      upstream.on('message', (reply) => socket.send(reply, remote.port, remote.address));
      upstream.on('error', () => undefined);
      flow = { upstream, timer: setTimeout(() => undefined, 0) };
      flows.set(key, flow);
    }
    clearTimeout(flow.timer);
    const current = flow;
    flow.timer = setTimeout(() => {
      current.upstream.close();
      flows.delete(key);
    }, UDP_IDLE_MS);
    flow.upstream.send(message, mapping.container, target);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => reject(portInUse(mapping, error)));
    socket.bind({ address: mapping.host_ip ?? '0.0.0.0', port: mapping.host ?? 0, exclusive: true }, () =>
      resolve(),
    );
  });
  socket.on('error', () => undefined);
  return {
    mapping,
    setTarget: (t) => {
      target = t;
    },
    close: async () => {
      for (const flow of flows.values()) {
        clearTimeout(flow.timer);
        flow.upstream.close();
      }
      flows.clear();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** Binds every published mapping, or none: on the first failure the ones already bound are released. */
export async function openProxies(mappings: readonly PortMapping[]): Promise<PortProxy[]> {
  const opened: PortProxy[] = [];
  try {
    for (const mapping of mappings) {
      if (mapping.host === null) continue;
      opened.push(mapping.protocol === 'udp' ? await udpProxy(mapping) : await tcpProxy(mapping));
    }
    return opened;
  } catch (error) {
    await Promise.all(opened.map((p) => p.close()));
    throw error;
  }
}
