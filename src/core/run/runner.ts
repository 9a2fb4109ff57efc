/** Runs a package: see types.ts. Implementation in progress. */
import type { Logger } from '../logger.js'
import type { RunOptions, RunResult } from './types.js'

export function runPackage(source: string, options: RunOptions, logger: Logger): Promise<RunResult> {
  void source
  void options
  void logger
  return Promise.reject(new Error('runPackage: not implemented yet'))
}
