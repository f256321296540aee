import type { NetworkSpec } from '../../stack/model.js';
import type { ContainerStatus, CreateRequest, NetworkStatus } from '../types.js';
import type { ImageDefaults } from './state.js';

/**
 * What the Runtime (in the CLI process) and a project's supervisor say to each other: one JSON
 * object per line over a unix socket, one request per connection.
 */
export interface ResolvedImage {
  lowerDir: string;
  hostImage: boolean;
  defaults: ImageDefaults;
}

export type SupervisorRequest =
  | { method: 'ping' }
  | { method: 'ensureNetwork'; network: NetworkSpec }
  | { method: 'removeNetwork'; network: string }
  | { method: 'create'; request: CreateRequest; image: ResolvedImage }
  | { method: 'start'; name: string }
  | { method: 'stop'; name: string; timeoutMs: number }
  | { method: 'remove'; name: string };

export interface SupervisorResults {
  ping: { pid: number; project: string };
  ensureNetwork: NetworkStatus;
  removeNetwork: null;
  create: ContainerStatus;
  start: null;
  stop: null;
  remove: null;
}

export interface WireError {
  code: string;
  message: string;
  hint?: string;
  kind?: 'failure' | 'usage' | 'refused';
}

export type SupervisorResponse = { ok: true; result: unknown } | { ok: false; error: WireError };
