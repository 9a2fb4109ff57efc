// The container suite (`npm run test:container`): builds and runs generated
// Dockerfiles with buildah, so it needs root, buildah and debootstrap, and is
// kept out of `npm test` (jest.config.js ignores __tests__/container/).
// One worker: the cases share one buildah store and the machine has 2 cores.
import base from './jest.config.js'

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/container/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Building the base images on a cold cache takes minutes; one build and run of a case, about a minute.
  testTimeout: 10 * 60 * 1000,
  maxWorkers: 1
}
