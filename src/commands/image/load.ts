import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { progressFlag } from '../../cli/progress-flag.js';
import {
  type ImageJson,
  imageJson,
  loadArchive,
  openImageStore,
} from '../../engine/runtime/native/image/index.js';

export default class ImageLoad extends KittenCommand {
  static override summary = 'Load images from a `docker save` archive or an OCI image layout tarball';
  static override description =
    'Layers are applied in order with whiteouts honoured; gzip archives are read as they are. JSON: {images: [{id, refs, created, size, layers, source, rootfs}]}.';
  static override examples = [
    'docker save busybox:latest -o busybox.tar && <%= config.bin %> image load busybox.tar',
    '<%= config.bin %> image load app-oci.tar --tag app:1.0',
  ];
  static override args = { file: Args.string({ required: true, description: 'archive to load' }) };
  static override flags = {
    tag: Flags.string({
      char: 't',
      description: 'reference for an archive whose image carries no name',
      helpValue: 'NAME:TAG',
    }),
    progress: progressFlag,
  };

  async run(): Promise<{ images: ImageJson[] }> {
    const { args, flags } = await this.parse(ImageLoad);
    const renderer = this.progress(flags.progress);
    try {
      const images = (await loadArchive(openImageStore(), args.file, renderer.sink, flags.tag)).map(
        imageJson,
      );
      renderer.stop();
      if (!this.jsonEnabled()) {
        for (const image of images) {
          process.stdout.write(`Loaded image: ${image.refs.join(', ') || `sha256:${image.id}`}\n`);
        }
      }
      return { images };
    } finally {
      renderer.stop();
    }
  }
}
