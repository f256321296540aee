export { ImageStore, type StoredImage } from './image/store.js';
export { createNativeRuntime, NativeRuntime, type NativeRuntimeOptions } from './runtime.js';
