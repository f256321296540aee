import { Args } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { progressFlag } from '../../cli/progress-flag.js';
import {
  type ImageJson,
  imageJson,
  importRootfs,
  openImageStore,
} from '../../engine/runtime/native/image/index.js';

export default class ImageImport extends KittenCommand {
  static override summary = 'Import a root filesystem tar as an image';
  static override description =
    'The image has no command of its own (give one in the stack file). JSON: {id, refs, created, size, layers, source, rootfs}.';
  static override examples = ['<%= config.bin %> image import rootfs.tar myapp:1.0'];
  static override args = {
    file: Args.string({ required: true, description: 'root filesystem tar (gzip or not)' }),
    ref: Args.string({ required: true, description: 'NAME:TAG to give the image' }),
  };
  static override flags = { progress: progressFlag };
  static override strict = true;

  async run(): Promise<ImageJson> {
    const { args, flags } = await this.parse(ImageImport);
    const renderer = this.progress(flags.progress);
    try {
      const image = imageJson(await importRootfs(openImageStore(), args.file, args.ref, renderer.sink));
      renderer.stop();
      if (!this.jsonEnabled()) process.stdout.write(`sha256:${image.id}\n`);
      return image;
    } finally {
      renderer.stop();
    }
  }
}
