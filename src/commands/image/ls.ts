import { Flags } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { type ImageJson, imageJson, openImageStore } from '../../engine/runtime/native/image/index.js';
import { parseReference } from '../../engine/runtime/native/image/reference.js';
import { toJson, toYaml } from '../../output/format.js';
import { type Column, renderTable } from '../../output/table.js';

export default class ImageLs extends KittenCommand {
  static override summary = "List the images in the native runtime's local store";
  static override description =
    'JSON (--json or -o json): one object per image with id (sha256 hex), refs (["name:tag", ...]), created (ISO-8601), size (bytes of file content), layers, source (load|import|pull) and rootfs (its directory).';
  static override examples = [
    '<%= config.bin %> image ls',
    '<%= config.bin %> image ls -o wide',
    '<%= config.bin %> image ls --json',
  ];
  static override flags = {
    output: Flags.string({ char: 'o', options: ['table', 'wide', 'json', 'yaml'], default: 'table' }),
  };

  async run(): Promise<ImageJson[]> {
    const { flags } = await this.parse(ImageLs);
    const images = (await openImageStore().list()).map(imageJson);
    if (!this.jsonEnabled()) {
      if (flags.output === 'json') process.stdout.write(toJson(images));
      else if (flags.output === 'yaml') process.stdout.write(toYaml(images));
      else process.stdout.write(renderTable(imageRows(images), imageColumns, flags.output === 'wide'));
    }
    return images;
  }
}

// Rows as `docker images` shows them: one per reference (an image without any is <none>).
interface ImageRow {
  repository: string;
  tag: string;
  image: ImageJson;
}

function imageRows(images: readonly ImageJson[]): ImageRow[] {
  return images.flatMap((image) => {
    if (image.refs.length === 0) return [{ repository: '<none>', tag: '<none>', image }];
    return image.refs.map((ref) => {
      const parsed = parseReference(ref);
      const repository = parsed.familiar.replace(/(:[^:/@]+)?(@.*)?$/, '');
      return { repository, tag: parsed.tag ?? '<none>', image };
    });
  });
}

export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)}${units[unit]}`;
}

function age(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

const imageColumns: Column<ImageRow>[] = [
  { header: 'repository', get: (r) => r.repository },
  { header: 'tag', get: (r) => r.tag },
  { header: 'image id', get: (r) => r.image.id.slice(0, 12) },
  { header: 'age', get: (r) => age(r.image.created) },
  { header: 'size', get: (r) => humanSize(r.image.size) },
  { header: 'layers', get: (r) => r.image.layers, wide: true },
  { header: 'source', get: (r) => r.image.source, wide: true },
];
