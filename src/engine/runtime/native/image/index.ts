import { kittenHome } from '../../../state/home.js';
import { nativePaths } from '../paths.js';
import { ImageStore, type StoredImage } from './store.js';

export { importRootfs, loadArchive } from './archive.js';
export { parseReference } from './reference.js';
export { ImageStore, type StoredImage } from './store.js';

/** The image store of the native runtime under KITTEN_HOME. */
export function openImageStore(home: string = kittenHome()): ImageStore {
  return new ImageStore(nativePaths(home).images);
}

/** What `kitten image ls --json` prints per image: a published shape. */
export interface ImageJson {
  id: string;
  refs: string[];
  created: string;
  size: number;
  layers: number;
  source: StoredImage['source'];
  rootfs: string;
}

export function imageJson(image: StoredImage): ImageJson {
  return {
    id: image.id,
    refs: image.refs,
    created: image.created,
    size: image.size,
    layers: image.layers,
    source: image.source,
    rootfs: image.rootfs,
  };
}
