import type { ContainerStatus } from '../engine/runtime/types.js';
import { formatPort } from '../engine/stack/ports.js';
import { style } from './style.js';
import { type Column, renderTable } from './table.js';

function stateColour(text: string, row: ContainerStatus): string {
  if (row.state === 'running') return row.health === 'unhealthy' ? style.yellow(text) : style.green(text);
  if (row.state === 'restarting') return style.yellow(text);
  return row.exit_code ? style.red(text) : style.dim(text);
}

function stateText(c: ContainerStatus): string {
  const health = c.health ? ` (${c.health})` : '';
  if (c.state === 'exited') return `exited (${c.exit_code ?? '?'})`;
  return `${c.state}${health}`;
}

function age(iso: string | null): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

export const containerColumns: Column<ContainerStatus>[] = [
  { header: 'name', get: (c) => c.name },
  { header: 'service', get: (c) => c.service },
  { header: 'state', get: stateText, colour: stateColour },
  {
    header: 'ports',
    get: (c) =>
      c.ports
        .filter((p) => p.host !== null)
        .map(formatPortShort)
        .join(', '),
  },
  { header: 'ip', get: (c) => c.ip ?? '' },
  { header: 'restarts', get: (c) => c.restarts },
  { header: 'up', get: (c) => (c.state === 'running' ? age(c.started_at) : '') },
  { header: 'image', get: (c) => c.image, wide: true },
  { header: 'pid', get: (c) => c.pid ?? '', wide: true },
];

function formatPortShort(p: ContainerStatus['ports'][number]): string {
  return `${p.host_ip ?? '0.0.0.0'}:${p.host}->${formatPort({ ...p, host: null, host_ip: null })}`;
}

export function renderContainers(containers: ContainerStatus[], wide = false): string {
  if (containers.length === 0) return `${style.dim('no containers')}\n`;
  return renderTable(containers, containerColumns, wide);
}
