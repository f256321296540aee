/** IPv4 arithmetic for subnets, gateways and static addresses. */

export interface Cidr {
  network: number;
  prefix: number;
  /** Number of addresses in the block. */
  size: number;
}

export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `10.0.0.0/24`; the address must be the network address itself (host bits zero). */
export function parseCidr(text: string): Cidr | { error: string } {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined) {
    return { error: `"${text}" is not a CIDR such as 10.0.0.0/24` };
  }
  const ip = parseIpv4(address);
  if (ip === null) return { error: `"${address}" is not an IPv4 address` };
  if (!/^[0-9]{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
    return { error: `prefix "/${prefixText}" must be between /0 and /32` };
  }
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) {
    return { error: `"${text}" has host bits set; did you mean ${formatIpv4(ip - (ip % size))}/${prefix}?` };
  }
  return { network: ip, prefix, size };
}

export function cidrContains(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.network && ip < cidr.network + cidr.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + b.size && b.network < a.network + a.size;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** The conventional gateway: the first host address of the block. */
export function firstHost(cidr: Cidr): number {
  return cidr.network + 1;
}

export function broadcast(cidr: Cidr): number {
  return cidr.network + cidr.size - 1;
}
