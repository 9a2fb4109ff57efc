// Jest runs the TypeScript sources directly as ESM (ts-jest, isolated modules:
// type checking is `npm run typecheck`'s job, so tests start fast).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/container/'],
  testTimeout: 60000,
  maxWorkers: 2
}
