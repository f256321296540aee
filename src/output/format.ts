import { stringify } from 'yaml';

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';
