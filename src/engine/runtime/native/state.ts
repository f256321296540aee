import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerSpec, PortMapping } from '../../stack/model.js';
import { readJsonIfExists, writeJsonAtomic } from '../../state/atomic.js';
import type { ContainerState, ContainerStatus, HealthState } from '../types.js';
import { isAlive, type ProcessIdentity } from './process-table.js';

/**
 * A container's state.json, like runc's: written atomically by the supervisor on every change,
 * read by any process. The recorded pids carry start times, so a reader can tell a live
 * container from a dead one even when the supervisor that wrote the file was SIGKILLed.
 */
export interface ContainerRecord {
  version: 1;
  name: string;
  project: string;
  service: string;
  replica: number;
  image: string;
  config_hash: string;
  base_dir: string;
  spec: ContainerSpec;
  /** The resolved root the overlay stacks on (rootfs dir, store image rootfs, or the host skeleton). */
  lower_dir: string;
  /** `host` images bind the host userland read-only on top of the skeleton. */
  host_image: boolean;
  image_config: ImageDefaults;
  /** The container's named network namespace; null shares the host's network. */
  netns: string | null;
  networks: AttachedNetwork[];
  state: ContainerState;
  /** The host-side shim (records the exit code even when no supervisor is alive). */
  shim: ProcessIdentity | null;
  /** The container's init (PID 1 inside its namespaces), as the host sees it. */
  init: ProcessIdentity | null;
  restarts: number;
  exit_code: number | null;
  health: HealthState | null;
  health_failures: number;
  stopped_by_user: boolean;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
}

export interface ImageDefaults {
  env: Record<string, string>;
  cmd: string[] | null;
  entrypoint: string[] | null;
  workdir: string | null;
}

export interface AttachedNetwork {
  name: string;
  driver: 'bridge' | 'host' | 'none';
  ip: string | null;
  prefix: number | null;
  gateway: string | null;
  bridge: string | null;
  /** Host end of the veth pair; the container end is `iface`. */
  veth: string | null;
  iface: string | null;
}

/** A network's file: its bridge and who holds which address (the IPAM). */
export interface NetworkRecord {
  version: 1;
  project: string;
  network: string;
  driver: 'bridge' | 'host' | 'none';
  bridge: string | null;
  subnet: string | null;
  gateway: string | null;
  prefix: number | null;
  nat: boolean;
  /** container name -> address */
  allocations: Record<string, string>;
}

export const STATE_FILE = 'state.json';
export const EXIT_FILE = 'exit';

export async function readRecord(dir: string): Promise<ContainerRecord | undefined> {
  try {
    return await readJsonIfExists<ContainerRecord>(join(dir, STATE_FILE));
  } catch {
    // A torn or foreign file is not a container; writers only ever rename whole files in.
    return undefined;
  }
}

export async function writeRecord(dir: string, record: ContainerRecord): Promise<void> {
  await writeJsonAtomic(join(dir, STATE_FILE), record);
}

/** The exit code the shim wrote when the container ended, if it did. */
export async function readExitCode(dir: string): Promise<number | null> {
  try {
    const text = (await readFile(join(dir, EXIT_FILE), 'utf8')).trim();
    const code = Number(text);
    return text !== '' && Number.isInteger(code) ? code : null;
  } catch {
    return null;
  }
}

/**
 * What a record means right now: a record that says running whose shim is gone is exited
 * (with the code the shim left behind), whatever the writer last believed.
 */
export function observedState(
  record: ContainerRecord,
  alive: (identity: ProcessIdentity | null) => boolean,
  exitCode: number | null,
  supervisorAlive: boolean,
): Pick<ContainerRecord, 'state' | 'exit_code' | 'health'> & { pid: number | null } {
  if (record.state === 'running') {
    if (!alive(record.shim))
      return { state: 'exited', exit_code: exitCode ?? record.exit_code, health: null, pid: null };
    return { state: 'running', exit_code: null, health: record.health, pid: record.init?.pid ?? null };
  }
  // Only a live supervisor ever restarts a container waiting out its back-off.
  if (record.state === 'restarting' && !supervisorAlive) {
    return { state: 'exited', exit_code: record.exit_code, health: null, pid: null };
  }
  return {
    state: record.state,
    exit_code: record.exit_code,
    health: record.state === 'exited' ? null : record.health,
    pid: null,
  };
}

export function publishedPorts(ports: readonly PortMapping[]): PortMapping[] {
  return ports.map((p) => ({ ...p }));
}

export function toStatus(
  record: ContainerRecord,
  exitCode: number | null,
  supervisorAlive: boolean,
): ContainerStatus {
  const observed = observedState(record, isAlive, exitCode, supervisorAlive);
  return {
    name: record.name,
    project: record.project,
    service: record.service,
    replica: record.replica,
    image: record.image,
    state: observed.state,
    health: observed.health,
    pid: observed.pid,
    ip: record.networks.find((n) => n.ip)?.ip ?? null,
    ports: publishedPorts(record.spec.ports),
    restarts: record.restarts,
    exit_code: observed.exit_code,
    config_hash: record.config_hash,
    started_at: record.started_at,
    finished_at: record.finished_at,
  };
}
