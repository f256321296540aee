import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { RuntimeError, UsageError } from '../../../errors.js';
import type { NetworkSpec } from '../../../stack/model.js';
import { readJsonIfExists, writeJsonAtomic } from '../../../state/atomic.js';
import type { ContainerStatus, CreateRequest, NetworkStatus } from '../../types.js';
import { type CgroupLayout, cgroupPids, createCgroup, destroyCgroup, hostCgroupLayout } from '../cgroups.js';
import { type HostImage, prepareHostImage } from '../host-image.js';
import {
  ensureBridge,
  ensureNat,
  hostRanges,
  prepareNetns,
  removeLink,
  removeNat,
  removeNetns,
  type VethPlan,
} from '../host-network.js';
import { hostTools } from '../host-tools.js';
import { renderHosts } from '../hosts-file.js';
import { allocateIp, defaultGateway, parseSubnet, pickFreeSubnet } from '../ipam.js';
import {
  type BindMount,
  type LaunchPlan,
  OLD_ROOT,
  rootBinds,
  shimScript,
  stageFstabs,
} from '../launch-script.js';
import { LOG_FILE, LogWriter } from '../log-file.js';
import { detachOldRootArgv } from '../old-root.js';
import { bridgeName, cgroupName, type NativePaths, netnsName, shortHash } from '../paths.js';
import { openProxies, type PortProxy } from '../port-proxy.js';
import { catchesSignal, isAlive } from '../process-table.js';
import type { ResolvedImage } from '../protocol.js';
import { nextBackoff, restartsOnAdoption, shouldRestart } from '../restart.js';
import { prepareDevDir, prepareTargets } from '../root-targets.js';
import {
  type AttachedNetwork,
  type ContainerRecord,
  EXIT_FILE,
  type NetworkRecord,
  readExitCode,
  readRecord,
  toStatus,
  writeRecord,
} from '../state.js';
import { type Fifos, findInit, LogPump, spawnShim, waitForExec } from './container-process.js';

const run = promisify(execFile);

/** What the supervisor holds for a container beyond its state.json: handles that die with the process. */
interface Live {
  record: ContainerRecord;
  dir: string;
  writer: LogWriter;
  pump: LogPump | null;
  proxies: PortProxy[];
  child: ChildProcess | null;
  adoptPoll: NodeJS.Timeout | null;
  restartTimer: NodeJS.Timeout | null;
  healthTimer: NodeJS.Timeout | null;
  lastDelayMs: number;
  exited: Promise<void> | null;
  resolveExited: (() => void) | null;
  lock: Promise<unknown>;
  removed: boolean;
  pendingRestart: boolean;
  writes: Promise<void>;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The per-project supervisor: owns the project's container processes, restarts them by policy,
 * runs health checks, pumps logs and proxies published ports. Every change it makes is written to
 * state files first-class, so that anything reading them (and a supervisor that replaces this one
 * after a crash) sees the truth.
 */
export class ProjectSupervisor {
  private readonly live = new Map<string, Live>();
  private networkLock: Promise<unknown> = Promise.resolve();
  private cgroups: CgroupLayout | null = null;
  onEmpty: () => void = () => {};

  constructor(
    private readonly paths: NativePaths,
    private readonly project: string,
  ) {}

  // --- lifecycle of the supervisor itself -----------------------------------------------------

  /** Picks up where a previous supervisor left off: survivors are adopted, the dead are settled. */
  async adopt(): Promise<void> {
    this.cgroups = await hostCgroupLayout();
    const dir = this.paths.containers(this.project);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const record = await readRecord(join(dir, name));
      if (!record) continue;
      const live = this.track(record, join(dir, name));
      if (record.state === 'running' && isAlive(record.shim)) {
        live.pump = new LogPump(this.fifos(live), live.writer);
        live.proxies = await openProxies(this.proxiedPorts(record)).catch(() => []);
        for (const p of live.proxies) p.setTarget(this.primaryIp(record));
        this.watchAdopted(live);
        this.scheduleHealth(live);
      } else if (record.state === 'running' || record.state === 'restarting') {
        const code = (await readExitCode(live.dir)) ?? record.exit_code ?? 255;
        await this.update(live, {
          state: 'exited',
          exit_code: code,
          finished_at: new Date().toISOString(),
          init: null,
        });
        if (restartsOnAdoption(record.spec.restart, record.stopped_by_user))
          await this.spawn(live).catch(() => undefined);
      }
    }
  }

  async shutdown(): Promise<void> {
    for (const live of this.live.values()) this.release(live);
  }

  isEmpty(): Promise<boolean> {
    return (async () => {
      const containers = await readdir(this.paths.containers(this.project)).catch(() => []);
      const networks = await readdir(this.paths.networks(this.project)).catch(() => []);
      return containers.length === 0 && networks.length === 0;
    })();
  }

  // --- networks ------------------------------------------------------------------------------

  ensureNetwork(spec: NetworkSpec): Promise<NetworkStatus> {
    return this.withNetworkLock(async () => toNetworkStatus(await this.ensureNetworkRecord(spec)));
  }

  private async ensureNetworkRecord(spec: NetworkSpec): Promise<NetworkRecord> {
    const file = this.paths.network(this.project, spec.name);
    const existing = await readJsonIfExists<NetworkRecord>(file);
    if (existing) {
      if (existing.bridge && existing.gateway && existing.prefix !== null) {
        // After a reboot the kernel objects are gone while the file stays: bring them back.
        await ensureBridge(existing.bridge, existing.gateway, existing.prefix);
        if (existing.nat && existing.subnet)
          await ensureNat(existing.bridge, existing.subnet, this.natTag(spec.name));
      }
      return existing;
    }
    if (spec.driver !== 'bridge') {
      const record: NetworkRecord = {
        version: 1,
        project: this.project,
        network: spec.name,
        driver: spec.driver,
        bridge: null,
        subnet: null,
        gateway: null,
        prefix: null,
        nat: false,
        allocations: {},
      };
      await writeJsonAtomic(file, record);
      return record;
    }
    const subnet = spec.subnet ?? pickFreeSubnet([...(await hostRanges()), ...(await this.kittenSubnets())]);
    const parsed = parseSubnet(subnet);
    const gateway = spec.gateway ?? defaultGateway(parsed);
    const bridge = bridgeName(this.project, spec.name);
    await ensureBridge(bridge, gateway, parsed.prefix);
    const nat = await ensureNat(bridge, subnet, this.natTag(spec.name));
    const record: NetworkRecord = {
      version: 1,
      project: this.project,
      network: spec.name,
      driver: 'bridge',
      bridge,
      subnet,
      gateway,
      prefix: parsed.prefix,
      nat,
      allocations: {},
    };
    await writeJsonAtomic(file, record);
    return record;
  }

  private natTag(network: string): string {
    return `kitten:${this.project}/${network}`;
  }

  /** Subnets of every Kitten network in every project under this home. */
  private async kittenSubnets(): Promise<string[]> {
    const subnets: string[] = [];
    for (const project of await readdir(this.paths.projects).catch(() => [] as string[])) {
      for (const file of await readdir(this.paths.networks(project)).catch(() => [] as string[])) {
        const record = await readJsonIfExists<NetworkRecord>(join(this.paths.networks(project), file)).catch(
          () => undefined,
        );
        if (record?.subnet) subnets.push(record.subnet);
      }
    }
    return subnets;
  }

  removeNetwork(name: string): Promise<null> {
    return this.withNetworkLock(async () => {
      const file = this.paths.network(this.project, name);
      const record = await readJsonIfExists<NetworkRecord>(file);
      if (!record) return null;
      const users = Object.keys(record.allocations).filter((c) => this.live.has(c));
      if (users.length > 0) {
        throw new RuntimeError('NETWORK_IN_USE', `network ${name} is still used by ${users.join(', ')}`, {
          hint: 'remove those containers first (kitten down removes both)',
        });
      }
      if (record.bridge) {
        if (record.subnet) await removeNat(record.bridge, record.subnet, this.natTag(name));
        await removeLink(record.bridge);
      }
      await rm(file, { force: true });
      this.checkEmpty();
      return null;
    });
  }

  // --- containers ----------------------------------------------------------------------------

  async create(request: CreateRequest, image: ResolvedImage): Promise<ContainerStatus> {
    const dir = this.paths.container(this.project, request.name);
    if (this.live.has(request.name) || (await readRecord(dir))) {
      throw new RuntimeError('CONTAINER_EXISTS', `container ${request.name} already exists`, {
        hint: `remove it first, or run \`kitten up\` which replaces changed containers`,
      });
    }
    const spec = request.spec;
    const attachments = spec.networks.length > 0 ? spec.networks : [{ name: 'default', ip: null }];
    const records = await this.withNetworkLock(async () => {
      const found: NetworkRecord[] = [];
      for (const attachment of attachments) {
        const file = this.paths.network(this.project, attachment.name);
        let record = await readJsonIfExists<NetworkRecord>(file);
        if (!record && ['default', 'host', 'none'].includes(attachment.name)) {
          const driver = attachment.name === 'default' ? 'bridge' : (attachment.name as 'host' | 'none');
          record = await this.ensureNetworkRecord({
            name: attachment.name,
            driver,
            subnet: null,
            gateway: null,
            implicit: true,
          });
        }
        if (!record) {
          throw new UsageError(
            'NETWORK_NOT_FOUND',
            `network ${attachment.name} does not exist in project ${this.project}`,
            {
              hint: 'declare it under networks: in the stack file',
            },
          );
        }
        found.push(record);
      }
      return found;
    });
    const hostNet = records.some((r) => r.driver === 'host');
    if (hostNet && records.length > 1) {
      throw new UsageError(
        'NETWORK_HOST_EXCLUSIVE',
        `${request.name}: the host network cannot be combined with others`,
        {
          hint: 'attach the container to host alone, or to bridge networks only',
        },
      );
    }
    const networks: AttachedNetwork[] = [];
    await this.withNetworkLock(async () => {
      let index = 0;
      for (const [i, net] of records.entries()) {
        const attachment = attachments[i];
        if (net.driver !== 'bridge' || !net.subnet || !net.gateway) {
          networks.push({
            name: net.network,
            driver: net.driver,
            ip: null,
            prefix: null,
            gateway: null,
            bridge: null,
            veth: null,
            iface: null,
          });
          continue;
        }
        const fresh =
          (await readJsonIfExists<NetworkRecord>(this.paths.network(this.project, net.network))) ?? net;
        const taken = Object.entries(fresh.allocations)
          .filter(([owner]) => owner !== request.name)
          .map(([, ip]) => ip);
        const ip = allocateIp(fresh.subnet as string, fresh.gateway as string, taken, attachment?.ip ?? null);
        fresh.allocations[request.name] = ip;
        await writeJsonAtomic(this.paths.network(this.project, net.network), fresh);
        networks.push({
          name: net.network,
          driver: 'bridge',
          ip,
          prefix: fresh.prefix,
          gateway: fresh.gateway,
          bridge: fresh.bridge,
          veth: `kv${shortHash(`${this.project}/${request.name}/${net.network}`)}`,
          iface: `eth${index++}`,
        });
      }
    });
    let proxies: PortProxy[] = [];
    const now = new Date().toISOString();
    const record: ContainerRecord = {
      version: 1,
      name: request.name,
      project: request.project,
      service: spec.name,
      replica: request.replica,
      image: spec.image,
      config_hash: request.configHash,
      base_dir: request.baseDir,
      spec,
      lower_dir: image.lowerDir,
      host_image: image.hostImage,
      image_config: image.defaults,
      netns: hostNet ? null : netnsName(this.project, request.name),
      networks,
      state: 'created',
      shim: null,
      init: null,
      restarts: 0,
      exit_code: null,
      health: null,
      health_failures: 0,
      stopped_by_user: false,
      started_at: null,
      finished_at: null,
      created_at: now,
    };
    try {
      // Bind published ports now: a port in use fails the create, before anything starts.
      proxies = await openProxies(this.proxiedPorts(record));
      await mkdir(join(dir, 'upper'), { recursive: true });
      await mkdir(join(dir, 'work'), { recursive: true });
      await mkdir(join(dir, 'rootfs'), { recursive: true });
      await run('mkfifo', [join(dir, 'stdout.fifo'), join(dir, 'stderr.fifo')]);
      await writeFile(join(dir, 'hostname'), `${spec.hostname || request.name}\n`);
      await writeFile(join(dir, 'resolv.conf'), await hostResolvConf());
      await writeFile(join(dir, 'hosts'), '');
      await writeRecord(dir, record);
    } catch (error) {
      await Promise.all(proxies.map((p) => p.close()));
      await this.releaseAddresses(request.name);
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const live = this.track(record, dir);
    live.proxies = proxies;
    live.pump = new LogPump(this.fifos(live), live.writer);
    await this.refreshHostsFiles();
    return toStatus(record, null, true);
  }

  start(name: string): Promise<null> {
    return this.withContainer(name, async (live) => {
      if (live.record.state === 'running' && isAlive(live.record.shim)) return null;
      if (live.restartTimer) clearTimeout(live.restartTimer);
      live.restartTimer = null;
      live.lastDelayMs = 0;
      if (live.record.stopped_by_user) await this.update(live, { stopped_by_user: false });
      await this.spawn(live);
      return null;
    });
  }

  stop(name: string, timeoutMs: number): Promise<null> {
    return this.withContainer(name, async (live) => {
      await this.stopLive(live, timeoutMs);
      return null;
    });
  }

  remove(name: string): Promise<null> {
    return this.withContainer(name, async (live) => {
      await this.stopLive(live, 0);
      this.release(live);
      // Nothing may write into the directory once it is being deleted: late health results,
      // the last partial log line.
      live.removed = true;
      await live.writer.flush();
      await live.writes;
      const record = live.record;
      if (this.cgroups) await destroyCgroup(this.cgroups, cgroupName(this.project, record.name));
      if (record.netns) {
        await removeNetns(
          record.netns,
          record.networks.flatMap((n) => (n.veth ? [n.veth] : [])),
        );
      }
      await this.withNetworkLock(() => this.releaseAddresses(record.name));
      this.live.delete(name);
      this.hostsWritten.delete(live.dir);
      await rm(live.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      await this.refreshHostsFiles();
      this.checkEmpty();
      return null;
    });
  }

  private checkEmpty(): void {
    void this.isEmpty().then((empty) => {
      if (empty && this.live.size === 0) this.onEmpty();
    });
  }

  private async stopLive(live: Live, timeoutMs: number): Promise<void> {
    if (live.restartTimer) {
      clearTimeout(live.restartTimer);
      live.restartTimer = null;
    }
    await this.update(live, { stopped_by_user: true });
    if (live.record.state === 'restarting') {
      await this.update(live, { state: 'exited' });
      return;
    }
    if (live.record.state !== 'running' || !isAlive(live.record.shim)) return;
    const target = live.record.init && isAlive(live.record.init) ? live.record.init.pid : null;
    const exited = live.exited ?? Promise.resolve();
    if (target !== null && timeoutMs > 0 && catchesSignal(target, osConstants.signals.SIGTERM)) {
      signal(target, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), delay(timeoutMs).then(() => false)]);
      if (done) return;
    }
    // SIGKILL to the namespace's init takes every process in it along.
    if (target !== null) signal(target, 'SIGKILL');
    else if (this.cgroups)
      await destroyCgroupProcesses(this.cgroups, cgroupName(this.project, live.record.name));
    const done = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
    if (!done && this.cgroups)
      await destroyCgroupProcesses(this.cgroups, cgroupName(this.project, live.record.name));
    await Promise.race([exited, delay(5000)]);
  }

  // --- running a container -------------------------------------------------------------------

  /**
   * A restart counts once its run is under way: when the command is exec'd, or when the run
   * ends, whichever the supervisor sees first (a command that exits at once can end before
   * its start has been recorded).
   */
  private takePendingRestart(live: Live): number {
    const pending = live.pendingRestart ? 1 : 0;
    live.pendingRestart = false;
    return pending;
  }

  private async spawn(live: Live, options: { restarted?: boolean } = {}): Promise<void> {
    if (options.restarted) live.pendingRestart = true;
    const record = live.record;
    const tools = hostTools();
    const spec = record.spec;
    const argv = [
      ...(record.image_config.entrypoint ?? []),
      ...(spec.command ?? record.image_config.cmd ?? []),
    ];
    if (argv.length === 0) {
      throw new UsageError(
        'CONTAINER_NO_COMMAND',
        `${record.name}: image ${record.image} has no default command`,
        {
          hint: 'give the container a command in the stack file',
        },
      );
    }
    if (record.netns) {
      const links: VethPlan[] = [];
      for (const net of record.networks) {
        if (!net.veth || !net.bridge || !net.ip || net.prefix === null || !net.gateway || !net.iface)
          continue;
        links.push({
          veth: net.veth,
          bridge: net.bridge,
          ip: net.ip,
          prefix: net.prefix,
          gateway: net.gateway,
          iface: net.iface,
        });
      }
      await prepareNetns(record.netns, links);
    }
    let cgroupProcs: string[] = [];
    if (this.cgroups) {
      cgroupProcs = await createCgroup(this.cgroups, cgroupName(this.project, record.name), {
        memory: spec.resources.memory,
        cpus: spec.resources.cpus,
      });
    } else if (spec.resources.memory !== null || spec.resources.cpus !== null) {
      throw new RuntimeError(
        'CGROUPS_UNAVAILABLE',
        `${record.name}: resource limits need cgroups, and none are mounted`,
        {
          hint: 'mount cgroup2 on /sys/fs/cgroup, or drop resources: from the container',
        },
      );
    }
    const host = record.host_image ? await this.hostImage() : null;
    const dir = live.dir;
    const cwd = spec.workdir && spec.workdir !== '/' ? spec.workdir : (record.image_config.workdir ?? '/');
    const lowerDir = host ? host.lowerDir : record.lower_dir;
    const upperDir = join(dir, 'upper');
    const etcFiles = {
      hosts: join(dir, 'hosts'),
      hostname: join(dir, 'hostname'),
      resolvConf: join(dir, 'resolv.conf'),
    };
    const volumes = await volumeBinds(record);
    const binds = rootBinds({ hostBinds: host ? host.binds : [], etcFiles, volumes });
    const left = prepareTargets(lowerDir, upperDir, {
      dirs: [
        'proc',
        'dev',
        'sys',
        'tmp',
        'etc',
        cwd,
        ...binds.filter((b) => b.kind === 'dir').map((b) => b.target),
      ],
      files: binds.filter((b) => b.kind === 'file').map((b) => b.target),
    });
    prepareDevDir(join(dir, 'dev'));
    const plan: LaunchPlan = {
      tools,
      fstabs: {
        root: join(dir, 'fstab'),
        rest: join(dir, 'fstab.rest'),
        optional: join(dir, 'fstab.optional'),
      },
      devDir: join(dir, 'dev'),
      stageDirs: left.dirs,
      stageFiles: left.files,
      cgroupProcs,
      netnsPath: record.netns ? `/run/netns/${record.netns}` : null,
      exitFile: join(dir, EXIT_FILE),
      rootDir: join(dir, 'rootfs'),
      detachOldRoot: detachOldRootArgv(tools.umount, OLD_ROOT),
      lowerDir,
      upperDir,
      workDir: join(dir, 'work'),
      hostBinds: host ? host.binds : [],
      etcFiles,
      volumes,
      hostname: spec.hostname || record.name,
      cwd,
      argv,
    };
    const fstabs = stageFstabs(plan);
    await writeFile(plan.fstabs.root, fstabs.root);
    await writeFile(plan.fstabs.optional, fstabs.optional);
    if (left.dirs.length > 0 || left.files.length > 0) await writeFile(plan.fstabs.rest, fstabs.rest);
    const script = shimScript(plan);
    await rm(join(dir, EXIT_FILE), { force: true });
    const env = containerEnv(record);
    const spawned = spawnShim(tools.sh, script, env, this.fifos(live));
    live.child = spawned.child;
    live.exited = new Promise<void>((resolve) => {
      live.resolveExited = resolve;
    });
    const startedAt = Date.now();
    spawned.child.on('exit', (code, sig) => {
      void this.onExit(live, code ?? (sig ? 128 + signalNumber(sig) : 255), startedAt);
    });
    await this.update(live, {
      state: 'running',
      shim: spawned.shim,
      init: null,
      exit_code: null,
      started_at: new Date(startedAt).toISOString(),
      finished_at: null,
      health: spec.healthcheck ? 'starting' : null,
      health_failures: 0,
    });
    for (const p of live.proxies) p.setTarget(this.primaryIp(record));
    const init = await findInit(spawned.shim.pid);
    // Running means the command itself runs: wait for the stage to exec it, as `docker start` does.
    if (init) await waitForExec(init, tools.sh);
    if (live.record.state === 'running' && live.record.shim?.pid === spawned.shim.pid) {
      await this.update(live, {
        init: init && isAlive(init) ? init : null,
        started_at: new Date().toISOString(),
        restarts: live.record.restarts + this.takePendingRestart(live),
      });
    }
    this.scheduleHealth(live);
  }

  private watchAdopted(live: Live): void {
    // Not our child: poll the shim's identity; its exit file carries the code.
    live.exited = new Promise<void>((resolve) => {
      live.resolveExited = resolve;
    });
    const startedAt = live.record.started_at ? Date.parse(live.record.started_at) : Date.now();
    live.adoptPoll = setInterval(() => {
      if (isAlive(live.record.shim)) return;
      if (live.adoptPoll) clearInterval(live.adoptPoll);
      live.adoptPoll = null;
      void readExitCode(live.dir).then((code) => this.onExit(live, code ?? 255, startedAt));
    }, 200);
  }

  private async onExit(live: Live, code: number, startedAt: number): Promise<void> {
    live.child = null;
    if (live.healthTimer) clearTimeout(live.healthTimer);
    live.healthTimer = null;
    // What the container wrote before it ended is in its FIFOs; the process's exit can be seen
    // first. A few turns of the event loop let the pump read it, so the log is complete before
    // the state says exited.
    for (let turn = 0; turn < 3; turn++) await new Promise((r) => setImmediate(r));
    live.pump?.flushPartial();
    await live.writer.flush();
    const bump = this.takePendingRestart(live);
    if (bump) await this.update(live, { restarts: live.record.restarts + bump });
    const record = live.record;
    const restart = shouldRestart(record.spec.restart, {
      exitCode: code,
      restarts: record.restarts,
      stoppedByUser: record.stopped_by_user,
    });
    const finished = new Date().toISOString();
    if (!restart || !this.live.has(record.name)) {
      await this.update(live, {
        state: 'exited',
        exit_code: code,
        finished_at: finished,
        init: null,
        health: null,
      });
      live.resolveExited?.();
      return;
    }
    const delayMs = nextBackoff(live.lastDelayMs, Date.now() - startedAt);
    live.lastDelayMs = delayMs;
    await this.update(live, {
      state: 'restarting',
      exit_code: code,
      finished_at: finished,
      init: null,
      health: null,
    });
    live.resolveExited?.();
    live.restartTimer = setTimeout(() => {
      live.restartTimer = null;
      void this.withContainer(record.name, async (current) => {
        if (current.record.state !== 'restarting' || current.record.stopped_by_user) return null;
        await this.spawn(current, { restarted: true }).catch(async (error: unknown) => {
          await live.writer.write('stderr', `kitten: restart failed: ${(error as Error).message}`);
          await this.update(current, { state: 'exited' });
        });
        return null;
      }).catch(() => undefined);
    }, delayMs);
  }

  // --- health checks -------------------------------------------------------------------------

  private scheduleHealth(live: Live): void {
    const check = live.record.spec.healthcheck;
    if (!check || live.healthTimer) return;
    const startedAt = live.record.started_at ? Date.parse(live.record.started_at) : Date.now();
    const tick = async () => {
      live.healthTimer = null;
      const record = live.record;
      if (record.state !== 'running' || !record.init || !isAlive(record.init)) {
        // The init may not have been found yet; look again at the next interval.
        if (record.state === 'running') live.healthTimer = setTimeout(tick, Math.min(check.interval_ms, 500));
        return;
      }
      const ok = await this.probe(record, check.test, check.timeout_ms);
      if (live.record.state !== 'running' || live.record.shim?.pid !== record.shim?.pid) return;
      if (ok) {
        if (live.record.health !== 'healthy' || live.record.health_failures !== 0) {
          await this.update(live, { health: 'healthy', health_failures: 0 });
        }
      } else if (Date.now() - startedAt >= check.start_period_ms || live.record.health === 'healthy') {
        const failures = live.record.health_failures + 1;
        await this.update(live, {
          health_failures: failures,
          health: failures >= check.retries ? 'unhealthy' : live.record.health,
        });
      }
      live.healthTimer = setTimeout(tick, check.interval_ms);
    };
    // The first probe runs soon after start, so depends_on: healthy does not wait a whole interval.
    live.healthTimer = setTimeout(tick, Math.min(check.interval_ms, 250));
  }

  private probe(record: ContainerRecord, test: string[], timeoutMs: number): Promise<boolean> {
    const init = record.init;
    if (!init) return Promise.resolve(false);
    const tools = hostTools();
    const args = ['-t', String(init.pid), '-m', '-u', '-i', '-n', '-p', '-r', '-w', ...test];
    return new Promise((resolve) => {
      const child = spawn(tools.nsenter, args, { env: containerEnv(record), stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', () => resolve(false));
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private hostImageReady: Promise<HostImage> | null = null;

  /** Prepared once per supervisor: the host's userland does not move under a running project. */
  private hostImage(): Promise<HostImage> {
    this.hostImageReady ??= prepareHostImage(this.paths.hostSkeleton);
    return this.hostImageReady;
  }

  private track(record: ContainerRecord, dir: string): Live {
    const live: Live = {
      record,
      dir,
      writer: new LogWriter(join(dir, LOG_FILE)),
      pump: null,
      proxies: [],
      child: null,
      adoptPoll: null,
      restartTimer: null,
      healthTimer: null,
      lastDelayMs: 0,
      exited: null,
      resolveExited: null,
      lock: Promise.resolve(),
      removed: false,
      pendingRestart: false,
      writes: Promise.resolve(),
    };
    this.live.set(record.name, live);
    return live;
  }

  private release(live: Live): void {
    if (live.adoptPoll) clearInterval(live.adoptPoll);
    if (live.restartTimer) clearTimeout(live.restartTimer);
    if (live.healthTimer) clearTimeout(live.healthTimer);
    live.adoptPoll = live.restartTimer = live.healthTimer = null;
    live.pump?.close();
    live.pump = null;
    for (const p of live.proxies) void p.close();
    live.proxies = [];
  }

  private fifos(live: Live): Fifos {
    return { stdout: join(live.dir, 'stdout.fifo'), stderr: join(live.dir, 'stderr.fifo') };
  }

  private proxiedPorts(record: ContainerRecord) {
    // On the host network the container binds the host port itself; with no address there is nothing to relay to.
    if (!record.networks.some((n) => n.driver === 'bridge')) return [];
    return record.spec.ports.filter((p) => p.host !== null);
  }

  private primaryIp(record: ContainerRecord): string | null {
    return record.networks.find((n) => n.ip)?.ip ?? null;
  }

  /** Changes the record now and writes it after any earlier write, so the file ends up as the last change. */
  private update(live: Live, changes: Partial<ContainerRecord>): Promise<void> {
    live.record = { ...live.record, ...changes };
    if (live.removed) return live.writes;
    const snapshot = live.record;
    live.writes = live.writes
      .then(() => (live.removed ? undefined : writeRecord(live.dir, snapshot)))
      .catch(() => undefined);
    return live.writes;
  }

  private withContainer<T>(name: string, work: (live: Live) => Promise<T>): Promise<T> {
    const live = this.live.get(name);
    if (!live) {
      return Promise.reject(
        new RuntimeError('CONTAINER_NOT_FOUND', `no container named ${name} in project ${this.project}`, {
          hint: 'run `kitten ps` to see the containers',
        }),
      );
    }
    const next = live.lock.then(() => work(live));
    live.lock = next.catch(() => undefined);
    return next;
  }

  private withNetworkLock<T>(work: () => Promise<T>): Promise<T> {
    const next = this.networkLock.then(work);
    this.networkLock = next.catch(() => undefined);
    return next;
  }

  private async releaseAddresses(name: string): Promise<void> {
    for (const file of await readdir(this.paths.networks(this.project)).catch(() => [] as string[])) {
      const path = join(this.paths.networks(this.project), file);
      const record = await readJsonIfExists<NetworkRecord>(path).catch(() => undefined);
      if (record && name in record.allocations) {
        delete record.allocations[name];
        await writeJsonAtomic(path, record);
      }
    }
  }

  /** Rewrites every container's /etc/hosts in place (bind mounts follow the inode, not the name). */
  private hostsRun: Promise<void> | null = null;
  private hostsAgain = false;

  /**
   * Rewrites every hosts file once more after the current rewrite, however many asked meanwhile:
   * fifty containers created at once cost a handful of passes, not fifty.
   */
  private refreshHostsFiles(): Promise<void> {
    if (this.hostsRun) {
      this.hostsAgain = true;
      return this.hostsRun;
    }
    this.hostsRun = (async () => {
      do {
        this.hostsAgain = false;
        await this.writeHostsFiles();
      } while (this.hostsAgain);
      this.hostsRun = null;
    })();
    return this.hostsRun;
  }

  private readonly hostsWritten = new Map<string, string>();

  private async writeHostsFiles(): Promise<void> {
    const all = [...this.live.values()];
    for (const live of all) {
      const record = live.record;
      const mine = new Set(record.networks.filter((n) => n.ip).map((n) => n.name));
      const self = record.networks.find((n) => n.ip);
      const others = all
        .filter((o) => o !== live)
        .flatMap((o) =>
          o.record.networks
            .filter((n) => n.ip && mine.has(n.name))
            .map((n) => ({
              ip: n.ip as string,
              names: [o.record.name, o.record.spec.hostname, o.record.service],
            })),
        );
      const text = renderHosts(
        self?.ip ? { ip: self.ip, names: [] } : null,
        [record.spec.hostname || record.name, record.name, record.service],
        others,
      );
      if (this.hostsWritten.get(live.dir) === text || live.removed) continue;
      await writeFile(join(live.dir, 'hosts'), text).catch(() => undefined);
      this.hostsWritten.set(live.dir, text);
    }
  }
}

function toNetworkStatus(record: NetworkRecord): NetworkStatus {
  return {
    id: record.bridge ?? record.network,
    project: record.project,
    network: record.network,
    driver: record.driver,
    subnet: record.subnet,
    gateway: record.gateway,
  };
}

export function networkRecordStatus(record: NetworkRecord): NetworkStatus {
  return toNetworkStatus(record);
}

async function hostResolvConf(): Promise<string> {
  const text = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  // A loopback stub resolver (systemd-resolved) is unreachable from another network namespace.
  const useful = text.split('\n').filter((l) => !/^nameserver\s+127\./.test(l));
  return useful.some((l) => l.startsWith('nameserver'))
    ? `${useful.join('\n')}\n`
    : 'nameserver 1.1.1.1\nnameserver 8.8.8.8\n';
}

function containerEnv(record: ContainerRecord): Record<string, string> {
  const env: Record<string, string> = {
    PATH: DEFAULT_PATH,
    ...record.image_config.env,
    ...record.spec.environment,
  };
  env.HOSTNAME = record.spec.hostname || record.name;
  env.HOME ??= '/root';
  return env;
}

async function volumeBinds(record: ContainerRecord) {
  const binds: BindMount[] = [];
  for (const volume of record.spec.volumes) {
    const source = resolve(record.base_dir, volume.source);
    const info = await stat(source).catch(() => null);
    if (!info) await mkdir(source, { recursive: true });
    binds.push({
      source,
      target: volume.target,
      readOnly: volume.read_only,
      kind: info && !info.isDirectory() ? ('file' as const) : ('dir' as const),
    });
  }
  return binds;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

async function destroyCgroupProcesses(layout: CgroupLayout, name: string): Promise<void> {
  for (const pid of await cgroupPids(layout, name)) signal(pid, 'SIGKILL');
}

function signalNumber(sig: NodeJS.Signals): number {
  return (osConstants.signals as Record<string, number>)[sig] ?? 0;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
