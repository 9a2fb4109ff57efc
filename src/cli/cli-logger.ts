/** The CLI's logger: progress and warnings on stderr, so stdout stays clean for the result (and --json). */
import type { Logger } from '../core/index.js'

export function createCliLogger(opts: { quiet: boolean; verbose: boolean }): Logger {
  const write = (line: string): void => {
    process.stderr.write(`${line}\n`)
  }
  return {
    info: (m) => {
      if (!opts.quiet) write(m)
    },
    warn: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (opts.verbose) write(`debug: ${m}`)
    },
    group: async (name, fn) => {
      if (!opts.quiet) write(`== ${name}`)
      return fn()
    }
  }
}
