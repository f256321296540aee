import { RuntimeError, UsageError } from '../../errors.js';

/** IPv4 arithmetic and address management for bridge networks (pure; the state lives in network files). */
export interface Subnet {
  base: number;
  prefix: number;
}

export function parseIp(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseSubnet(cidr: string): Subnet {
  const [ip, prefixText] = cidr.split('/');
  const base = ip === undefined ? null : parseIp(ip);
  const prefix = Number(prefixText);
  if (base === null || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    throw new UsageError('NETWORK_SUBNET_INVALID', `subnet ${cidr} is not an IPv4 CIDR between /8 and /30`, {
      hint: 'write it like 10.0.0.0/24',
    });
  }
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), prefix };
}

/** Any address or CIDR seen on the host (routes, addresses), /0 to /32; null when it is not IPv4. */
export function parseRange(text: string): Subnet | null {
  const [ip, prefixText = '32'] = text.split('/');
  const base = ip === undefined ? null : parseIp(ip);
  const prefix = Number(prefixText);
  if (base === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), prefix };
}

export function subnetSize(subnet: Subnet): number {
  return 2 ** (32 - subnet.prefix);
}

export function formatSubnet(subnet: Subnet): string {
  return `${formatIp(subnet.base)}/${subnet.prefix}`;
}

export function contains(subnet: Subnet, ip: number): boolean {
  return ip >= subnet.base && ip < subnet.base + subnetSize(subnet);
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.base < b.base + subnetSize(b) && b.base < a.base + subnetSize(a);
}

/** Usable host addresses: not the network address, not the broadcast. */
export function isHostAddress(subnet: Subnet, ip: number): boolean {
  return contains(subnet, ip) && ip !== subnet.base && ip !== subnet.base + subnetSize(subnet) - 1;
}

export function defaultGateway(subnet: Subnet): string {
  return formatIp(subnet.base + 1);
}

/**
 * Picks the first /24 in 10.201.0.0/16 … 10.254.0.0/16 that overlaps nothing in use (other
 * Kitten networks, host routes and addresses), as Docker picks from its default pools.
 */
export function pickFreeSubnet(inUse: readonly string[]): string {
  const used = inUse.flatMap((text) => {
    const range = parseRange(text);
    return range ? [range] : [];
  });
  for (let second = 201; second <= 254; second++) {
    for (let third = 0; third <= 255; third++) {
      const candidate: Subnet = {
        base: (10 * 2 ** 24 + second * 2 ** 16 + third * 2 ** 8) >>> 0,
        prefix: 24,
      };
      if (!used.some((u) => overlaps(u, candidate))) return formatSubnet(candidate);
    }
  }
  throw new RuntimeError('NETWORK_NO_FREE_SUBNET', 'no free /24 subnet left in 10.201.0.0–10.254.255.0', {
    hint: 'declare a subnet for the network in the stack file',
  });
}

/**
 * The next free address: the requested one if given (it must be a free host address in the
 * subnet, not the gateway), else the lowest free one above the gateway.
 */
export function allocateIp(
  subnetCidr: string,
  gateway: string,
  taken: readonly string[],
  requested: string | null,
): string {
  const subnet = parseSubnet(subnetCidr);
  const takenSet = new Set(taken);
  takenSet.add(gateway);
  if (requested !== null) {
    const ip = parseIp(requested);
    if (ip === null || !isHostAddress(subnet, ip)) {
      throw new UsageError(
        'NETWORK_IP_INVALID',
        `address ${requested} is not a host address in ${subnetCidr}`,
        {
          hint: `pick an address inside ${subnetCidr} other than its network and broadcast addresses`,
        },
      );
    }
    if (takenSet.has(requested)) {
      throw new RuntimeError('NETWORK_IP_IN_USE', `address ${requested} is already used on ${subnetCidr}`, {
        hint: 'give each container its own ip, or leave ip out to get the next free one',
      });
    }
    return requested;
  }
  const size = subnetSize(subnet);
  for (let offset = 1; offset < size - 1; offset++) {
    const candidate = formatIp(subnet.base + offset);
    if (!takenSet.has(candidate)) return candidate;
  }
  throw new RuntimeError('NETWORK_FULL', `no free address left in ${subnetCidr}`, {
    hint: 'use a larger subnet for the network',
  });
}
