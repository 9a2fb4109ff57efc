/** Verifies a package (archive or job folder): see types.ts. Implementation in progress. */
import type { Logger } from './logger.js'
import type { VerifyOptions, VerifyResult } from './run/types.js'

export function verifyPackage(source: string, options: VerifyOptions, logger: Logger): Promise<VerifyResult> {
  void source
  void options
  void logger
  return Promise.reject(new Error('verifyPackage: not implemented yet'))
}
