import type { ImageDefaults } from '../state.js';

/** An image in the local store, as `kitten image ls` reports it. */
export interface StoredImage {
  /** sha256 hex of the image config (Docker's image ID), or of the rootfs tar for imports. */
  id: string;
  refs: string[];
  created: string;
  /** Bytes of file content in the rootfs. */
  size: number;
  layers: number;
  source: 'load' | 'import' | 'pull';
  config: ImageDefaults;
  rootfs: string;
}

export interface NewImage {
  id: string;
  refs: string[];
  source: StoredImage['source'];
  config: ImageDefaults;
  /** Fills the rootfs directory; returns bytes written and layers applied. */
  build(rootfs: string): Promise<{ size: number; layers: number }>;
}

/**
 * What filling the store needs (pulls, loads): finding an image by id and adding one. The store
 * implements it; the fillers depend on this, not on the store, so the two never import each other.
 */
export interface ImageSink {
  find(text: string): Promise<StoredImage | null>;
  add(image: NewImage): Promise<StoredImage>;
}
