import { afterAll } from 'vitest';
import { createNativeRuntime } from '../../src/engine/runtime/native/index.js';
import { removeTempHomes, tempHome } from '../native/stack-builders.js';
import { componentAvailable, hasCommand, isRoot, loadTestbed } from '../support/testbed.js';
import { defineRuntimeScenarios } from './scenarios.js';

afterAll(removeTempHomes);

/**
 * The shared scenarios on the native runtime: real namespaces, overlay roots, bridges and
 * cgroups, so root is the component. The scenario image is the test bed's busybox pulled from its
 * loopback registry when there is one (exercising the image store), else the host userland.
 */
function nativeProblem(): string | null {
  if (process.platform !== 'linux') return 'the native runtime needs Linux';
  if (!isRoot()) return 'the native runtime needs root (namespaces, mounts, bridges, cgroups)';
  for (const tool of ['unshare', 'nsenter', 'ip', 'mount', 'busybox']) {
    if (!hasCommand(tool)) return `${tool} is not installed`;
  }
  return null;
}

const available = componentAvailable('native runtime', nativeProblem());
const registryImage = loadTestbed().registry?.image;

defineRuntimeScenarios(
  'native',
  async () => {
    const runtime = createNativeRuntime({ home: tempHome('kitten-scenarios-') });
    if (registryImage) await runtime.images.pull(registryImage, () => {});
    return runtime;
  },
  { available, image: registryImage ?? 'host' },
);
