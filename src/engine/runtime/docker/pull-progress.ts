import type { ProgressEvent } from '../../progress.js';

/**
 * One message of the engine's pull stream (`POST /images/create`): per-layer `status` lines with
 * `progressDetail` {current,total} while downloading, and image-level lines without an id.
 */
export interface PullMessage {
  id?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** Resource of the per-layer events; renderers that print one line per image skip these. */
export function layerResource(image: string, layer: string): string {
  return `layer:${image}@${layer}`;
}

export function imageResource(image: string): string {
  return `image:${image}`;
}

const DONE_LAYER = /^(Pull complete|Already exists)$/;

/** A pull message as a progress event, or null for lines that say nothing new. */
export function pullEvent(image: string, message: PullMessage): ProgressEvent | null {
  if (message.error) return { resource: imageResource(image), status: 'error', text: message.error };
  const status = message.status ?? '';
  if (!status) return null;
  // Layer ids are 12 hex characters; image-level lines carry the tag (or nothing) as id.
  if (message.id && /^[0-9a-f]{12}$/.test(message.id)) {
    const detail = message.progressDetail;
    const hasBytes = detail?.total !== undefined && detail.total > 0;
    return {
      resource: layerResource(image, message.id),
      status: DONE_LAYER.test(status) ? 'done' : 'working',
      text: status,
      ...(hasBytes ? { current: detail?.current ?? 0, total: detail?.total } : {}),
    };
  }
  if (/^Digest:/.test(status)) return null;
  if (/^Status:/.test(status))
    return { resource: imageResource(image), status: 'done', text: status.replace(/^Status:\s*/, '') };
  return { resource: imageResource(image), status: 'working', text: status };
}

/** `busybox` → `busybox:latest`; a digest or explicit tag is kept. */
export function withDefaultTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}
