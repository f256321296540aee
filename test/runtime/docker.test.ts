import { createDockerRuntime } from '../../src/engine/runtime/docker/index.js';
import { componentAvailable, loadTestbed } from '../support/testbed.js';
import { dockerProblem } from './docker-testbed.js';
import { defineRuntimeScenarios } from './scenarios.js';

const testbed = loadTestbed();
const available = componentAvailable('docker', await dockerProblem(testbed));

defineRuntimeScenarios('docker', () => createDockerRuntime({ host: testbed.docker?.host ?? '' }), {
  available,
  image: testbed.docker?.image ?? '',
});
