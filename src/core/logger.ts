/**
 * The packager reports through this interface only, so that the core never
 * depends on @actions/core: the Action maps it to core.info/group, the CLI to
 * stderr. Messages passed here are already redacted.
 */
import type { ProgressUpdate } from './progress.js'

export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
  /** Runs `fn` as one named phase (an Action log group, a CLI heading). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  /**
   * Optional: counts of the long steps (git fetch, each download, the
   * archive), several times a second per item while it runs, and once at its
   * end (progress.ts). The logger decides what to show and how often; without
   * it the core does not even count.
   */
  progress?: (update: ProgressUpdate) => void
}

/** A logger that drops everything: the default for library callers. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
  group: async (_name, fn) => fn()
}
