import type { StackPlan } from '../engine/stack/index.js';
import { formatPort } from '../engine/stack/ports.js';
import { style } from './style.js';
import { renderTable } from './table.js';

/** The human view of `up --dry-run`: start order, then one row per container. */
export function renderStackPlan(plan: StackPlan): string {
  const order = plan.order.map((level, i) => `${i + 1}. ${level.join(', ')}`).join('   ');
  const containers = Object.values(plan.containers);
  const table = renderTable(containers, [
    { header: 'container', get: (c) => c.name },
    { header: 'image', get: (c) => c.image },
    {
      header: 'networks',
      get: (c) => c.networks.map((n) => (n.ip ? `${n.name}(${n.ip})` : n.name)).join(', '),
    },
    { header: 'ports', get: (c) => c.ports.map(formatPort).join(', ') },
    {
      header: 'restart',
      get: (c) =>
        c.restart.max_retries === null ? c.restart.policy : `${c.restart.policy}:${c.restart.max_retries}`,
    },
    {
      header: 'depends on',
      get: (c) =>
        Object.entries(c.depends_on)
          .map(([d, { condition }]) => (condition === 'started' ? d : `${d}(${condition})`))
          .join(', '),
    },
  ]);
  return `${style.bold(`project ${plan.project}`)} from ${plan.file}\nstart order: ${order}\n\n${table}`;
}
