import { dirname, isAbsolute, relative } from 'node:path';
import type { ContainerSpec } from '../../stack/model.js';
import { isValidLabelKey, isValidLabelValue } from './names.js';
import { type Context, warn } from './translate-context.js';

export function checkUntranslatable(ctx: Context, spec: ContainerSpec): void {
  const at = `containers.${spec.name}`;
  const base = dirname(ctx.stack.file);
  spec.volumes.forEach((v, i) => {
    const shown = isAbsolute(v.source) && ctx.stack.file ? relative(base, v.source) || '.' : v.source;
    warn(
      ctx,
      spec.name,
      `${at}.volumes[${i}]`,
      `host bind mount ${shown.startsWith('..') || isAbsolute(shown) ? shown : `./${shown}`}:${v.target} is not translated (cluster nodes do not have that path); mount a PersistentVolumeClaim instead`,
    );
  });
  for (const attachment of spec.networks) {
    const network = ctx.stack.networks[attachment.name];
    if (network?.driver === 'host') {
      warn(
        ctx,
        spec.name,
        `${at}.network`,
        'network "host" is not translated; the pod uses the cluster network',
      );
    } else if (network?.driver === 'none') {
      warn(
        ctx,
        spec.name,
        `${at}.network`,
        'network "none" is not translated; the pod uses the cluster network',
      );
    }
    if (attachment.ip) {
      warn(
        ctx,
        spec.name,
        `${at}.networks.${attachment.name}.ip`,
        `static IP ${attachment.ip} is not translated (the cluster assigns pod addresses); reach the service by its name ${ctx.names.get(spec.name)}`,
      );
    }
  }
  spec.ports.forEach((p, i) => {
    if (p.host_ip && p.host_ip !== '0.0.0.0' && p.host !== null) {
      warn(
        ctx,
        spec.name,
        `${at}.ports[${i}]`,
        `bind address ${p.host_ip} is not translated; use --expose or \`kitten connect\``,
      );
    }
  });
  if (spec.image === 'host' || spec.image.startsWith('.') || spec.image.startsWith('/')) {
    warn(
      ctx,
      spec.name,
      `${at}.image`,
      `image "${spec.image}" is a local root filesystem for the native runtime; a cluster can only pull registry images`,
    );
  }
  const invalidLabels = Object.keys(spec.labels).filter(
    (k) => !isValidLabelKey(k) || !isValidLabelValue(spec.labels[k] ?? ''),
  );
  if (invalidLabels.length > 0) {
    warn(
      ctx,
      spec.name,
      `${at}.labels`,
      `label${invalidLabels.length > 1 ? 's' : ''} ${invalidLabels.join(', ')} not valid on Kubernetes; values that are not valid label values are kept as annotations`,
    );
  }
}
