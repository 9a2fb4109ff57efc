/**
 * The CLI's logger: messages, warnings and progress on stderr, so stdout stays
 * clean for the result (and --json).
 *
 * Progress takes one of two forms:
 * - on a terminal, one status line at the bottom, redrawn in place (carriage
 *   return, text, clear to the end of the line) a few times a second with
 *   every running item on it. It is erased before any other line is printed
 *   (and redrawn on the next tick), when nothing is running, and when a phase
 *   ends, so a log line never shares a line with it and nothing is left of it
 *   when the result is printed;
 * - anywhere else (CI logs, pipes, files), plain lines: one per running item
 *   every 10 s, and one when it is done. Redrawing there would leave every
 *   frame in the file.
 * --quiet shows no progress.
 */
import { formatProgress, ProgressMeter, type Logger, type ProgressUpdate } from '../core/index.js'

/** 'auto': a redrawn line when the stream is a terminal (not TERM=dumb), plain lines otherwise. */
export type ProgressMode = 'auto' | 'line' | 'plain' | 'off'

/** The part of a stream the logger uses (process.stderr by default; tests pass their own). */
export interface CliStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

export interface CliLoggerOptions {
  quiet: boolean
  verbose: boolean
  /** Default 'auto'. */
  progress?: ProgressMode
  stream?: CliStream
  /** Clock of the progress meter (tests). */
  now?: () => number
}

/** How often the terminal line is redrawn. */
export const LINE_REFRESH_MS = 250
/** How often a plain progress line is printed per running item. */
export const PLAIN_INTERVAL_MS = 10_000

const CLEAR_LINE = '\r\x1b[K'

export function createCliLogger(opts: CliLoggerOptions): Logger {
  const stream = opts.stream ?? process.stderr
  const mode = opts.quiet ? 'off' : resolveMode(opts.progress ?? 'auto', stream)
  const status = mode === 'line' ? new StatusLine(stream, opts.now) : undefined
  const write = (line: string): void => {
    status?.erase()
    stream.write(`${line}\n`)
  }
  const plain = mode === 'plain' ? new ProgressMeter({ intervalMs: PLAIN_INTERVAL_MS, now: opts.now }) : undefined
  const logger: Logger = {
    info: (m) => {
      if (!opts.quiet) write(m)
    },
    warn: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (opts.verbose) write(`debug: ${m}`)
    },
    group: async (name, fn) => {
      if (!opts.quiet) write(`== ${name}`)
      try {
        return await fn()
      } finally {
        // Whatever the phase left running (it failed, or was cancelled) is over with it.
        status?.reset()
        plain?.clear()
      }
    }
  }
  if (status) logger.progress = (update) => status.record(update)
  else if (plain)
    logger.progress = (update) => {
      const report = plain.record(update)
      if (report) write(formatProgress(report))
    }
  return logger
}

function resolveMode(mode: ProgressMode, stream: CliStream): Exclude<ProgressMode, 'auto'> {
  if (mode !== 'auto') return mode
  return stream.isTTY && process.env.TERM !== 'dumb' ? 'line' : 'plain'
}

/** The redrawn terminal line. */
class StatusLine {
  private readonly meter: ProgressMeter
  private timer: NodeJS.Timeout | undefined
  private shown = false

  constructor(
    private readonly stream: CliStream,
    now?: () => number
  ) {
    // Reports come from snapshot() on the timer; record()'s own cadence is not used.
    this.meter = new ProgressMeter({ intervalMs: Infinity, now })
  }

  record(update: ProgressUpdate): void {
    this.meter.record(update)
    if (this.meter.size === 0) this.reset()
    else if (!this.timer) {
      // First drawn on the next tick: an item done within a quarter second never flashes by.
      this.timer = setInterval(() => this.draw(), LINE_REFRESH_MS)
      // The line must never keep the CLI alive on its own.
      this.timer.unref()
    }
  }

  /** Removes the line from the screen; the next tick draws it again. */
  erase(): void {
    if (!this.shown) return
    this.stream.write(CLEAR_LINE)
    this.shown = false
  }

  /** Forgets every item, stops the timer, erases the line. */
  reset(): void {
    this.meter.clear()
    clearInterval(this.timer)
    this.timer = undefined
    this.erase()
  }

  draw(): void {
    const reports = this.meter.snapshot()
    if (reports.length === 0) return
    // The last column stays free: writing into it makes some terminals wrap, and \r would then redraw only the wrapped part.
    const width = Math.max(20, (this.stream.columns || 80) - 1)
    this.stream.write(`\r${fit(reports.map(formatProgress).join(' | '), width)}\x1b[K`)
    this.shown = true
  }
}

/** Cut to `width` characters (code points), with an ellipsis. */
function fit(text: string, width: number): string {
  const chars = [...text]
  return chars.length <= width ? chars.join('') : `${chars.slice(0, width - 1).join('')}…`
}
