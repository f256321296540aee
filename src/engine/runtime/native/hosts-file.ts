/**
 * /etc/hosts for a container: itself, then every other container on its networks by container
 * name, hostname and service name (compose resolves services by name). Pure, so the rendering
 * is tested row by row; the supervisor rewrites the files in place whenever an address changes.
 */
export interface HostsEntry {
  ip: string;
  names: string[];
}

export function renderHosts(
  self: HostsEntry | null,
  selfNames: string[],
  others: readonly HostsEntry[],
): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  const unique = (names: string[]) => [...new Set(names.filter(Boolean))];
  if (self) lines.push(`${self.ip}\t${unique([...self.names, ...selfNames]).join(' ')}`);
  else lines.push(`127.0.1.1\t${unique(selfNames).join(' ')}`);
  const seen = new Set<string>(self ? [self.ip] : []);
  for (const other of [...others].sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }))) {
    if (seen.has(other.ip)) continue;
    seen.add(other.ip);
    lines.push(`${other.ip}\t${unique(other.names).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
