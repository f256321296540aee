import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KittenError, RefusedError } from '../errors.js';

/**
 * Plain JSON requests to the API server with the kubeconfig's credentials (client-node applies
 * certificates, tokens and exec plugins). Raw JSON keeps timestamps as the strings a snapshot has
 * and skips client-node's per-field model conversion, which matters at 10,000 pods.
 */
export class KubeHttp {
  private readonly kc: KubeConfig;
  readonly server: string;

  constructor(kc: KubeConfig) {
    this.kc = kc;
    this.server = kc.getCurrentCluster()?.server ?? '';
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  async getText(path: string): Promise<string> {
    return this.request<string>('GET', path, undefined, true);
  }

  /**
   * A response the server holds open (a log with `follow=true`), as its lines while they arrive.
   * Ends when the server ends it; aborting `signal` closes the request and ends it quietly.
   */
  async *lines(path: string, signal: AbortSignal): AsyncGenerator<string> {
    if (signal.aborted) return;
    const { options, transport } = await this.prepare('GET', path, true);
    const req = transport.request({ ...options, signal });
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', (error: NodeJS.ErrnoException) => reject(this.unreachable(error)));
    });
    // Only the wait for the headers is bounded: a followed log may stay quiet for hours.
    const connect = setTimeout(
      () => req.destroy(Object.assign(new Error('timed out after 30 s'), { code: 'ETIMEDOUT' })),
      30_000,
    );
    req.end();
    try {
      let res: http.IncomingMessage;
      try {
        res = await response;
      } finally {
        clearTimeout(connect);
      }
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        throw apiError('GET', path, status, Buffer.concat(chunks).toString('utf8'));
      }
      res.setEncoding('utf8');
      let pending = '';
      for await (const chunk of res) {
        pending += chunk as string;
        const cut = pending.lastIndexOf('\n');
        if (cut < 0) continue;
        const complete = pending.slice(0, cut);
        pending = pending.slice(cut + 1);
        for (const line of complete.split('\n')) yield line;
      }
      if (pending) yield pending;
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    } finally {
      // A consumer that stops early (Esc) must not leave the connection open.
      req.destroy();
    }
  }

  private async prepare(
    method: string,
    path: string,
    text: boolean,
    body?: unknown,
  ): Promise<{ options: https.RequestOptions; transport: typeof http | typeof https }> {
    const url = new URL(path, this.server.endsWith('/') ? this.server : `${this.server}/`);
    const options: https.RequestOptions = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname.replace(/\/\/+/g, '/')}${url.search}`,
      headers: {
        accept: text ? 'text/plain' : 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
    };
    try {
      await this.kc.applyToHTTPSOptions(options);
    } catch (error) {
      // Credentials plugins and TLS settings fail here, before any request is made.
      throw new KittenError(
        'KUBECONFIG_UNUSABLE',
        `the kubeconfig cannot be used for ${this.server}: ${(error as Error).message.split('\n')[0]}`,
        {
          hint: 'check the context with `kubectl config view --minify`; an http:// server needs insecure-skip-tls-verify: true',
          cause: error,
        },
      );
    }
    return { options, transport: url.protocol === 'https:' ? https : http };
  }

  private unreachable(error: NodeJS.ErrnoException): KittenError {
    return new KittenError(
      'CLUSTER_UNREACHABLE',
      `cannot reach the API server at ${this.server}: ${error.code ?? error.message}`,
      {
        hint: 'check the context with `kubectl cluster-info`, or work from a snapshot with --snapshot FILE',
        cause: error,
      },
    );
  }

  private async request<T>(method: string, path: string, body?: unknown, text = false): Promise<T> {
    const { options, transport } = await this.prepare(method, path, text, body);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            if (text) return resolve(raw as T);
            try {
              resolve(JSON.parse(raw) as T);
            } catch {
              reject(
                new KittenError(
                  'CLUSTER_BAD_RESPONSE',
                  `${method} ${path}: the API server answered with something other than JSON`,
                ),
              );
            }
            return;
          }
          reject(apiError(method, path, status, raw));
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => reject(this.unreachable(error)));
      req.setTimeout(30_000, () =>
        req.destroy(Object.assign(new Error('timed out after 30 s'), { code: 'ETIMEDOUT' })),
      );
      if (payload) req.write(payload);
      req.end();
    });
  }
}

/** The HTTP status a failed request ended with, for callers that treat 404 or 403 as "absent". */
export function statusOf(error: unknown): number | undefined {
  return error instanceof KittenError ? (error.details?.status as number | undefined) : undefined;
}

function apiError(method: string, path: string, status: number, raw: string): KittenError {
  let message = raw.trim().split('\n')[0] ?? '';
  try {
    const parsed = JSON.parse(raw) as { message?: string };
    if (parsed.message) message = parsed.message;
  } catch {
    // Not a Status object; the first line of the body is the best there is.
  }
  const details = { status, method, path };
  if (status === 401) {
    return new KittenError('CLUSTER_UNAUTHORIZED', `the API server rejected the credentials: ${message}`, {
      hint: 'refresh your credentials (`kubectl get ns` shows whether they work) or pick another --context',
      details,
    });
  }
  if (status === 403) {
    return new RefusedError('CLUSTER_FORBIDDEN', `forbidden by the cluster's RBAC: ${message}`, {
      hint: 'ask a cluster admin for a Role that allows it; `kubectl auth can-i` shows what you may do',
      details,
    });
  }
  if (status === 404) {
    return new KittenError('CLUSTER_NOT_FOUND', `${path}: not found`, { details });
  }
  return new KittenError('CLUSTER_API_ERROR', `${method} ${path} failed (${status}): ${message}`, {
    hint: 'the API server refused the request; run again with KITTEN_DEBUG=1 for details',
    details,
  });
}
