/**
 * The job's own stdout and stderr, shown live in the step's log.
 *
 * Everything here is the job's text, so it goes through the Action's log
 * guard (logUntrusted): a job that prints `::add-mask::`, `::set-output::` or
 * `::error::` lines must not command the runner. Output arrives in chunks
 * that cut lines (and UTF-8 characters) anywhere; whole lines are collected
 * per stream and printed together, so a line is never split into two log
 * lines and the guard sees each line whole.
 *
 * The log shows at most `maxBytes` of each stream, the same budget the
 * result keeps (RunOptions.maxLogBytes); beyond it the log says so once, and
 * the rest is only counted in result.json. A runaway job cannot flood the
 * runner's log.
 */
import { StringDecoder } from 'node:string_decoder'
import { formatBytes } from '../core/index.js'
import { logUntrusted } from '../action/action-logger.js'

/** A line longer than this is printed in pieces rather than held back. */
const MAX_PENDING = 64 * 1024

class StreamLog {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  private shown = 0
  private cut = false

  constructor(
    private readonly name: 'stdout' | 'stderr',
    private readonly maxBytes: number,
    private readonly print: (text: string) => void
  ) {}

  write(chunk: Buffer): void {
    if (this.cut) return
    const room = this.maxBytes - this.shown
    const take = chunk.length > room ? chunk.subarray(0, room) : chunk
    this.shown += take.length
    this.pending += this.decoder.write(take)
    if (take.length < chunk.length) {
      this.flush()
      this.cut = true
      this.print(
        `[job-packager] The job's ${this.name} goes on beyond ${formatBytes(this.maxBytes)}; the rest is not shown here (result.json counts it).`
      )
      return
    }
    const end = this.pending.lastIndexOf('\n')
    if (end >= 0) {
      this.print(this.pending.slice(0, end))
      this.pending = this.pending.slice(end + 1)
    } else if (this.pending.length > MAX_PENDING) {
      this.print(this.pending)
      this.pending = ''
    }
  }

  flush(): void {
    const rest = this.pending + this.decoder.end()
    this.pending = ''
    if (rest !== '') this.print(rest)
  }
}

export class JobLog {
  private readonly streams: Record<'stdout' | 'stderr', StreamLog>

  constructor(maxBytes: number, print: (text: string) => void = logUntrusted) {
    this.streams = { stdout: new StreamLog('stdout', maxBytes, print), stderr: new StreamLog('stderr', maxBytes, print) }
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this.streams[stream].write(chunk)
  }

  /** Prints what is left of an unfinished last line. */
  flush(): void {
    this.streams.stdout.flush()
    this.streams.stderr.flush()
  }
}
