import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback OpenAI-compatible server (POST /v1/chat/completions) that replays a script of
 * answers in order: a JSON answer, raw text, an HTTP error status, or a hang. It records every
 * request body so tests can check what Kitten sent.
 */
export type ScriptedAnswer =
  | { json: unknown }
  | { content: string }
  | { status: number; retryAfterSeconds?: number; message?: string }
  | { hang: true };

export interface LlmTestServer {
  /** Base URL to put in KITTEN_LLM_BASE_URL, e.g. http://127.0.0.1:40123/v1 */
  baseURL: string;
  requests: Array<Record<string, unknown>>;
  script(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

function completion(model: string, content: string) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

export async function startLlmServer(): Promise<LlmTestServer> {
  const queue: ScriptedAnswer[] = [];
  const requests: Array<Record<string, unknown>> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    requests.push(body);
    const answer = queue.shift() ?? { status: 500, message: 'no scripted answer left' };
    const model = String(body.model ?? 'test-model');
    if ('hang' in answer) return; // never answer; the client's timeout must end it
    if ('status' in answer) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (answer.retryAfterSeconds !== undefined) headers['retry-after'] = String(answer.retryAfterSeconds);
      res.writeHead(answer.status, headers).end(
        JSON.stringify({
          error: { message: answer.message ?? `scripted ${answer.status}`, type: 'scripted' },
        }),
      );
      return;
    }
    const content = 'json' in answer ? JSON.stringify(answer.json) : answer.content;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(completion(model, content)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...answers) => {
      queue.length = 0;
      queue.push(...answers);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
