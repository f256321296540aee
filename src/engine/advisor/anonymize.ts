import { randomBytes } from 'node:crypto';

/**
 * Reversible masking, as K8sGPT does before it sends anything to a model: every sensitive
 * name becomes a token that still looks like a Kubernetes name, and the answer is mapped back.
 */
export class Anonymizer {
  private readonly toMask = new Map<string, string>();
  private readonly toReal = new Map<string, string>();
  private readonly random: () => string;

  constructor(random: () => string = () => randomBytes(4).toString('hex')) {
    this.random = random;
  }

  /** Registers names to hide; short or generic words (`default`, `app`) are left alone. */
  add(...names: (string | undefined)[]): void {
    for (const name of names) {
      if (!name || name.length < 3 || this.toMask.has(name) || generic.has(name)) continue;
      let mask: string;
      do mask = `masked-${this.random()}`;
      while (this.toReal.has(mask));
      this.toMask.set(name, mask);
      this.toReal.set(mask, name);
    }
  }

  get size(): number {
    return this.toMask.size;
  }

  mask(text: string): string {
    return replaceAll(text, this.toMask);
  }

  unmask(text: string): string {
    return replaceAll(text, this.toReal);
  }

  /** Unmasks every string inside a JSON-like value (the model's structured answer). */
  unmaskValue<T>(value: T): T {
    if (typeof value === 'string') return this.unmask(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.unmaskValue(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.unmaskValue(v)])) as T;
    }
    return value;
  }
}

const generic = new Set([
  'default',
  'kube-system',
  'app',
  'web',
  'api',
  'Pod',
  'Deployment',
  'Service',
  'Error',
]);

function replaceAll(text: string, map: Map<string, string>): string {
  if (map.size === 0) return text;
  // Longest first, so `cart` never eats part of `cart-f073d8c476-7kttc`.
  const keys = [...map.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return text.replace(pattern, (hit) => map.get(hit) ?? hit);
}
