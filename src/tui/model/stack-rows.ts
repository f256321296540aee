/** The Stack tab's rows: containers of local Kitten projects, with the columns `kitten ps` prints. */
import type { ContainerStatus } from '../../engine/runtime/types.js';
import type { PortMapping } from '../../engine/stack/model.js';
import type { ColumnView, RowView, Tone } from '../session/port.js';

export const stackColumns: ColumnView[] = [
  { header: 'PROJECT' },
  { header: 'NAME' },
  { header: 'STATE' },
  { header: 'HEALTH' },
  { header: 'RESTARTS' },
  { header: 'IP', wide: true },
  { header: 'IMAGE', wide: true },
  { header: 'PORTS' },
];

export function formatPort(port: PortMapping): string {
  if (port.host === null) return `${port.container}/${port.protocol}`;
  const ip = port.host_ip ?? '0.0.0.0';
  return `${ip}:${port.host}->${port.container}/${port.protocol}`;
}

function tone(c: ContainerStatus): Tone {
  if (c.state === 'restarting' || c.health === 'unhealthy') return 'critical';
  if (c.state === 'exited') return c.exit_code === 0 ? 'muted' : 'warning';
  if (c.state === 'created' || c.health === 'starting') return 'warning';
  return 'ok';
}

function describeState(c: ContainerStatus): string {
  return c.state === 'exited' && c.exit_code !== null ? `exited (${c.exit_code})` : c.state;
}

export function stackRows(containers: readonly ContainerStatus[]): RowView[] {
  return [...containers]
    .sort((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name))
    .map((c) => ({
      key: `${c.project}/${c.name}`,
      namespace: c.project,
      name: c.name,
      tone: tone(c),
      cells: [
        c.project,
        c.name,
        describeState(c),
        c.health ?? '-',
        String(c.restarts),
        c.ip ?? '-',
        c.image,
        c.ports.map(formatPort).join(', ') || '-',
      ],
    }));
}
