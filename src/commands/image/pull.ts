import { Args } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { progressFlag } from '../../cli/progress-flag.js';
import { type ImageJson, imageJson, openImageStore } from '../../engine/runtime/native/image/index.js';

export default class ImagePull extends KittenCommand {
  static override summary = 'Pull an image from a registry into the local store';
  static override description =
    'Over the registry HTTP API: token auth (credentials from `docker login` when present), manifest lists narrowed to linux/<this arch>, every blob checked against its digest. Loopback registries are plain HTTP; others in KITTEN_INSECURE_REGISTRIES too. JSON: {id, refs, created, size, layers, source, rootfs}.';
  static override examples = [
    '<%= config.bin %> image pull busybox:latest',
    '<%= config.bin %> image pull 127.0.0.1:5000/team/app:1.0',
  ];
  static override args = { ref: Args.string({ required: true, description: 'NAME[:TAG] or NAME@sha256:…' }) };
  static override flags = { progress: progressFlag };

  async run(): Promise<ImageJson> {
    const { args, flags } = await this.parse(ImagePull);
    const renderer = this.progress(flags.progress);
    try {
      const image = imageJson(await openImageStore().pull(args.ref, renderer.sink));
      renderer.stop();
      if (!this.jsonEnabled()) process.stdout.write(`${image.refs[0] ?? args.ref} sha256:${image.id}\n`);
      return image;
    } finally {
      renderer.stop();
    }
  }
}
