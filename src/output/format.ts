import { dump } from 'js-yaml';

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function toYaml(value: unknown): string {
  return dump(value, { lineWidth: -1, noRefs: true, sortKeys: false });
}

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';
