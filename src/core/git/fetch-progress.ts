/**
 * git's own progress during a fetch, turned into progress updates. With
 * `--progress` (LC_ALL=C), git writes to stderr, each update ended by a
 * carriage return and each step's last one by ", done." and a new line:
 *
 *   Receiving objects:  45% (450/1000), 1.20 MiB | 600.00 KiB/s\r
 *   Resolving deltas: 100% (120/120), done.\n
 *
 * Only the client's own steps are read (receiving or unpacking objects,
 * resolving deltas), by a fixed pattern: nothing of the server's text (its
 * `remote:` lines) reaches a progress label, only numbers do.
 */
import type { Logger } from '../logger.js'
import { trackProgress, type ProgressTracker } from '../progress.js'

const STEP =
  /^(Receiving objects|Unpacking objects|Resolving deltas): +\d+% \((\d+)\/(\d+)\)(?:, ([\d.]+) (bytes?|KiB|MiB|GiB|TiB)(?: \| [\d.]+ (?:bytes?|KiB|MiB|GiB|TiB)\/s)?)?(, done\.)?\s*$/
const UNIT: Record<string, number> = { byte: 1, bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 }
/** A "line" longer than this without an end is not progress; it is dropped rather than kept growing. */
const MAX_PARTIAL = 4096

/** Feeds on a fetch's stderr as it arrives; `end()` closes what is still open. */
export class FetchProgress {
  private partial = ''
  private readonly steps = new Map<string, ProgressTracker>()

  constructor(
    private readonly logger: Logger,
    private readonly label = 'code',
    /** Called with the bytes received so far, each time git reports them. */
    private readonly onBytes?: (bytes: number) => void
  ) {}

  /** A chunk of stderr, cut anywhere (even inside a line). */
  push(chunk: string): void {
    const pieces = (this.partial + chunk).split(/\r\n?|\n/)
    this.partial = pieces.pop() ?? ''
    if (this.partial.length > MAX_PARTIAL) this.partial = ''
    for (const piece of pieces) this.line(piece)
  }

  /** The fetch is over: steps git did not close are finished (`ok`) or dropped. */
  end(ok: boolean): void {
    for (const step of this.steps.values()) {
      if (ok) step.finish()
      else step.fail()
    }
    this.steps.clear()
  }

  private line(text: string): void {
    const m = STEP.exec(text)
    if (!m) return
    const [, name = '', doneText, totalText, amount, unit = 'bytes', closed] = m
    const step = name.toLowerCase()
    const done = Number(doneText)
    const total = Number(totalText)
    const bytes = amount === undefined ? undefined : Math.round(Number(amount) * (UNIT[unit] ?? 1))
    if (bytes !== undefined && step !== 'resolving deltas') this.onBytes?.(bytes)
    let tracker = this.steps.get(step)
    if (!tracker) {
      tracker = trackProgress(this.logger, { phase: 'fetch', label: this.label, step, unit: 'objects', total })
      this.steps.set(step, tracker)
    }
    tracker.update(done, { total, bytes })
    if (closed) {
      tracker.finish()
      this.steps.delete(step)
    }
  }
}

/**
 * stderr without progress: of each line only what a terminal would show last
 * (the text after its last carriage return), and no line shaped like a
 * progress step (`Step: 45% (450/1000)…`, `Step: 1000, done.`, with or
 * without `remote: `). Error messages are then read from git's own words,
 * whatever steps a git version or a server reports.
 */
export function withoutProgress(stderr: string): string {
  return stderr
    .split(/\r?\n/)
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .filter((line) => !/^(remote: )?[A-Z][a-z]*( [a-z]+)*: +(\d+% \(\d+\/\d+\)|\d+, done\.)/.test(line))
    .join('\n')
}
