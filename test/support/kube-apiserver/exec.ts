import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * `kubectl exec` over the wire: a WebSocket upgrade with the v4.channel.k8s.io subprotocol, one
 * binary frame per chunk whose first byte is the channel (1 stdout, 2 stderr, 3 status), and a
 * final Status on channel 3 carrying the exit code as the kubelet reports it. Tests script what a
 * command prints and returns.
 */
export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
}

export interface ExecReply {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}

export type ExecHandler = (request: ExecRequest) => ExecReply | Promise<ExecReply>;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const PROTOCOLS = ['v4.channel.k8s.io', 'v5.channel.k8s.io'];

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = 0x80 | opcode;
            h[1] = 127;
            h.writeBigUInt64BE(BigInt(length), 2);
            return h;
          })();
  return Buffer.concat([header, payload]);
}

function channel(n: number, data: string | Buffer): Buffer {
  return frame(0x2, Buffer.concat([Buffer.from([n]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
}

/** The Status the kubelet sends when the command ends. */
export function exitStatus(exitCode: number): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command, exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** Completes the handshake and streams the reply; the caller has already authorised the request. */
export async function serveExec(
  req: IncomingMessage,
  socket: Duplex,
  request: ExecRequest,
  handler: ExecHandler,
): Promise<void> {
  const key = req.headers['sec-websocket-key'];
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const protocol = PROTOCOLS.find((p) => offered.includes(p));
  if (!key || !protocol) {
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  // Whatever the client sends (stdin, resize) is read and dropped: scripted commands take no input.
  socket.on('data', () => {});
  socket.on('error', () => {});
  const reply = await handler(request);
  if (reply.stdout) socket.write(channel(1, reply.stdout));
  if (reply.stderr) socket.write(channel(2, reply.stderr));
  socket.write(channel(3, JSON.stringify(exitStatus(reply.exitCode))));
  socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
  socket.end();
}
