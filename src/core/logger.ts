/**
 * The packager reports through this interface only, so that the core never
 * depends on @actions/core: the Action maps it to core.info/group, the CLI to
 * stderr. Messages passed here are already redacted.
 */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
  /** Runs `fn` as one named phase (an Action log group, a CLI heading). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** A logger that drops everything: the default for library callers. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
  group: async (_name, fn) => fn()
}
