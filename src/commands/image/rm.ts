import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { createNativeRuntime } from '../../engine/runtime/native/index.js';

export default class ImageRm extends KittenCommand {
  static override summary = 'Remove images (or just a reference) from the local store';
  static override description =
    'A reference is untagged; the image goes when no reference is left, or at once when named by id. Refused while a container stands on the image, unless --force. JSON: [{image, untagged: ["name:tag"], deleted: "<id>"|null}].';
  static override examples = [
    '<%= config.bin %> image rm busybox:latest',
    '<%= config.bin %> image rm 5befaffadee4 --force',
  ];
  static override args = {
    images: Args.string({ required: true, description: 'NAME:TAG or image id (12+ hex)' }),
  };
  static override strict = false;
  static override flags = {
    force: Flags.boolean({
      char: 'f',
      description: 'remove even if a container uses the image',
      default: false,
    }),
  };

  async run(): Promise<Array<{ image: string; untagged: string[]; deleted: string | null }>> {
    const { argv, flags } = await this.parse(ImageRm);
    const runtime = createNativeRuntime();
    const results: Array<{ image: string; untagged: string[]; deleted: string | null }> = [];
    for (const image of argv as string[]) {
      const result = await runtime.images.remove(image, (rootfs) => runtime.imageUsers(rootfs), flags.force);
      results.push({ image, ...result });
      if (!this.jsonEnabled()) {
        for (const ref of result.untagged) process.stdout.write(`Untagged: ${ref}\n`);
        if (result.deleted) process.stdout.write(`Deleted: sha256:${result.deleted}\n`);
      }
    }
    return results;
  }
}
