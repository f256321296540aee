import { parseIpv4 } from './ipv4.js';
import type { PortMapping, Protocol } from './model.js';

/**
 * Short port syntax as compose accepts it, one port per entry:
 * `80`, `8080:80`, `8080:80/udp`, `127.0.0.1:8080:80`, `127.0.0.1::80`.
 */
export function parsePort(value: string | number): PortMapping | { error: string } {
  const text = String(value).trim();
  const [mapping, protocolText, extra] = text.split('/');
  if (extra !== undefined || mapping === undefined || mapping === '') {
    return { error: `"${text}" is not a port mapping such as "8080:80" or "8080:80/udp"` };
  }
  const protocol = (protocolText ?? 'tcp').toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp') {
    return { error: `protocol "${protocolText}" must be tcp or udp` };
  }
  const parts = mapping.split(':');
  if (parts.length > 3) return { error: `"${text}" has too many ":" (use [ip:]host:container)` };
  const containerText = parts[parts.length - 1] ?? '';
  const hostText = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
  const hostIp = parts.length === 3 ? (parts[0] ?? '') : null;
  if (hostIp !== null && parseIpv4(hostIp) === null) {
    return { error: `host address "${hostIp}" in "${text}" is not an IPv4 address` };
  }
  if (/-/.test(mapping)) return { error: `port ranges ("${text}") are not supported; list each port` };
  const container = portNumber(containerText, text);
  if (typeof container !== 'number') return container;
  let host: number | null = null;
  if (hostText !== '') {
    const parsed = portNumber(hostText, text);
    if (typeof parsed !== 'number') return parsed;
    host = parsed;
  }
  return { host, container, protocol: protocol as Protocol, host_ip: hostIp };
}

function portNumber(text: string, whole: string): number | { error: string } {
  if (!/^[0-9]+$/.test(text)) return { error: `"${text}" in "${whole}" is not a port number` };
  const port = Number(text);
  if (port < 1 || port > 65535) return { error: `port ${port} in "${whole}" is out of range (1-65535)` };
  return port;
}

export function formatPort(port: PortMapping): string {
  const host = port.host === null ? '' : `${port.host_ip ? `${port.host_ip}:` : ''}${port.host}:`;
  return `${host}${port.container}/${port.protocol}`;
}
