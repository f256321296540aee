import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where the native runtime keeps its truth under KITTEN_HOME:
 *   native/projects/<project>/supervisor.json, supervisor.sock, supervisor.log
 *   native/projects/<project>/containers/<name>/{state.json,config.json,container.log,...}
 *   native/projects/<project>/networks/<network>.json
 *   native/images/...  (the image store)
 */
export interface NativePaths {
  root: string;
  projects: string;
  project(project: string): string;
  supervisorFile(project: string): string;
  supervisorSocket(project: string): string;
  supervisorLog(project: string): string;
  containers(project: string): string;
  container(project: string, name: string): string;
  networks(project: string): string;
  network(project: string, network: string): string;
  hostSkeleton: string;
  images: string;
}

// Unix socket paths are limited to 108 bytes; deep KITTEN_HOMEs fall back to a hashed name in /tmp.
const SOCKET_PATH_LIMIT = 100;

export function nativePaths(home: string): NativePaths {
  const root = join(home, 'native');
  const projects = join(root, 'projects');
  const project = (p: string) => join(projects, p);
  return {
    root,
    projects,
    project,
    supervisorFile: (p) => join(project(p), 'supervisor.json'),
    supervisorSocket: (p) => {
      const path = join(project(p), 'supervisor.sock');
      if (path.length <= SOCKET_PATH_LIMIT) return path;
      return join('/tmp', `kitten-${shortHash(path)}.sock`);
    },
    supervisorLog: (p) => join(project(p), 'supervisor.log'),
    containers: (p) => join(project(p), 'containers'),
    container: (p, name) => join(project(p), 'containers', name),
    networks: (p) => join(project(p), 'networks'),
    network: (p, n) => join(project(p), 'networks', `${n}.json`),
    hostSkeleton: join(root, 'host-skeleton'),
    images: join(root, 'images'),
  };
}

/** Kernel interface names are at most 15 bytes, so bridges and veths are named by a hash. */
export function shortHash(text: string, length = 10): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function bridgeName(project: string, network: string): string {
  return `kb${shortHash(`${project}/${network}`)}`;
}

export function vethName(project: string, container: string): string {
  return `kv${shortHash(`${project}/${container}`)}`;
}

export function netnsName(project: string, container: string): string {
  return `kitten-${shortHash(`${project}/${container}`, 16)}`;
}

/** cgroup directory name (relative to each hierarchy's root). */
export function cgroupName(project: string, container: string): string {
  return join('kitten', project, container);
}
