/**
 * Progress of the steps users wait for: the git fetch, each download, the
 * archive. Two halves:
 *
 * - The core counts (`trackProgress`): each long step reports how far it is
 *   to `Logger.progress`, at most every 100 ms, so a shell is never flooded
 *   by a download's 64 KiB chunks. A logger without `progress` costs nothing.
 * - The shells decide what to show and when, with `ProgressMeter`: it turns
 *   those counts into a rate over the last few seconds (a rate since the
 *   start would hide a stall behind an hour of good throughput), a time
 *   left, and a report per item at the shell's own cadence (a redrawn
 *   terminal line a few times a second, a log line every 10 s) plus one when
 *   the item is done. `formatProgress` renders a report as one line.
 *
 * Everything here is pure logic on an injectable clock, so it is tested
 * without waiting.
 */
import type { Logger } from './logger.js'
import { formatBytes } from './units.js'

export type ProgressPhase = 'fetch' | 'download' | 'archive'
export type ProgressUnit = 'bytes' | 'objects'

/** One count of one item, as the core reports it. */
export interface ProgressUpdate {
  phase: ProgressPhase
  /**
   * What is counted: `code`, `data/train.csv`, `job-1.tar.gz`. Redacted, but
   * still untrusted (a file name comes from a URL): shells must not let it
   * form a terminal escape or a workflow command.
   */
  label: string
  /** A step of the item with a count of its own (git: "receiving objects", then "resolving deltas"). */
  step?: string
  unit: ProgressUnit
  done: number
  /** Undefined when unknown (a download without Content-Length). */
  total?: number
  /** Bytes moved so far, when the unit is not bytes (git counts objects and says how many bytes it received). */
  bytes?: number
  /** Set on an item's last update: it finished, or stopped early (an error, a retry, a cancel). */
  end?: 'done' | 'failed'
}

/** An update with what the meter worked out. */
export interface ProgressReport extends ProgressUpdate {
  /** 0–100, floored; undefined without a total. */
  percent?: number
  /** Units per second over the recent window; over the whole item in a final report. Undefined until measurable. */
  rate?: number
  /** Bytes per second, likewise, when bytes are known. */
  byteRate?: number
  /** At the recent rate; undefined without a total or a rate. */
  secondsLeft?: number
  /** Since the item's first update. */
  elapsedMs: number
}

// ---------------------------------------------------------------------------
// The core's side: counting
// ---------------------------------------------------------------------------

export interface ProgressItem {
  phase: ProgressPhase
  label: string
  step?: string
  unit: ProgressUnit
  total?: number
}

export interface ProgressTracker {
  /** The count so far (and a total or byte count, if they changed). Cheap enough to call for every chunk. */
  update(done: number, more?: { total?: number; bytes?: number }): void
  /** The item is complete; its last count is sent at once. Later calls do nothing. */
  finish(): void
  /** The item stopped early. Does nothing after `finish()`, so it can sit in a `finally`. */
  fail(): void
}

/** Least time between two updates of one item sent to the logger. */
export const TRACK_INTERVAL_MS = 100

const NOT_TRACKED: ProgressTracker = { update: () => {}, finish: () => {}, fail: () => {} }

/** Starts counting one item (its first update, with 0 done, is sent now). */
export function trackProgress(logger: Logger, item: ProgressItem, now: () => number = monotonicNow): ProgressTracker {
  if (!logger.progress) return NOT_TRACKED
  let done = 0
  let total = item.total
  let bytes: number | undefined
  let ended = false
  let sentAt = now()
  // Built only when sent, not for every chunk.
  const send = (end?: 'done' | 'failed'): void => {
    sentAt = now()
    // Called on the logger, not detached from it: a class's method needs its `this`.
    logger.progress?.({ ...item, done, total, bytes, end })
  }
  send()
  return {
    update(count, more) {
      if (ended) return
      done = count
      if (more?.total !== undefined) total = more.total
      if (more?.bytes !== undefined) bytes = more.bytes
      // A count held back here goes out with the next update or the end.
      if (now() - sentAt >= TRACK_INTERVAL_MS) send()
    },
    finish() {
      if (ended) return
      ended = true
      send('done')
    },
    fail() {
      if (ended) return
      ended = true
      send('failed')
    }
  }
}

function monotonicNow(): number {
  return performance.now()
}

// ---------------------------------------------------------------------------
// The shells' side: measuring and pacing
// ---------------------------------------------------------------------------

export interface ProgressMeterOptions {
  /** Least time between two reports of one item; its first comes this long after it started. The final report is always given. */
  intervalMs: number
  /** Span of the recent window the rate is measured over (default 5 s). */
  windowMs?: number
  now?: () => number
}

interface Sample {
  t: number
  done: number
  bytes?: number
}

interface Item {
  update: ProgressUpdate
  start: number
  lastReport: number
  samples: Sample[]
}

/** Below this span a rate is noise (and at the very start, 0 of 0): none is given. */
const MIN_RATE_SPAN_MS = 500
/** Samples closer than this are merged, so a caller reporting every chunk cannot grow the window without bound. */
const SAMPLE_SPACING_MS = 100

export class ProgressMeter {
  private readonly items = new Map<string, Item>()
  private readonly intervalMs: number
  private readonly windowMs: number
  private readonly now: () => number

  constructor(options: ProgressMeterOptions) {
    this.intervalMs = options.intervalMs
    this.windowMs = options.windowMs ?? 5000
    this.now = options.now ?? monotonicNow
  }

  /** Items started and not yet ended. */
  get size(): number {
    return this.items.size
  }

  /**
   * Takes one update; returns a report when this item is due one (every
   * `intervalMs`, and when it is done). A failed item is dropped without a
   * report: the error that stopped it is reported elsewhere.
   */
  record(update: ProgressUpdate): ProgressReport | undefined {
    const now = this.now()
    const key = `${update.phase}\0${update.label}\0${update.step ?? ''}`
    if (update.end === 'failed') {
      this.items.delete(key)
      return undefined
    }
    let item = this.items.get(key)
    // A count going backwards is a new attempt (a retried download): it starts over.
    if (!item || update.done < item.update.done) {
      item = { update, start: now, lastReport: now, samples: [] }
      this.items.set(key, item)
    }
    item.update = update
    addSample(item.samples, { t: now, done: update.done, bytes: bytesOf(update) }, now - this.windowMs)
    if (update.end === 'done') {
      this.items.delete(key)
      return this.report(item, now)
    }
    if (now - item.lastReport < this.intervalMs) return undefined
    // All counted but not yet done (a digest check, the last blocks): the final report is about to say it.
    if (update.total !== undefined && update.done >= update.total) return undefined
    item.lastReport = now
    return this.report(item, now)
  }

  /** A report of every unfinished item, in the order they started (for a display redrawn on its own clock). */
  snapshot(): ProgressReport[] {
    const now = this.now()
    return [...this.items.values()].map((item) => this.report(item, now))
  }

  /** Forgets every item (the phase they belonged to is over). */
  clear(): void {
    this.items.clear()
  }

  private report(item: Item, now: number): ProgressReport {
    const u = item.update
    const elapsedMs = now - item.start
    const percent = u.total === undefined ? undefined : u.total > 0 ? Math.min(100, Math.floor((u.done / u.total) * 100)) : 100
    const report: ProgressReport = { ...u, percent, elapsedMs }
    if (u.end === 'done') {
      // Done: the average says more than the last few seconds did.
      if (elapsedMs > 0) {
        report.rate = (u.done / elapsedMs) * 1000
        const bytes = bytesOf(u)
        if (bytes !== undefined) report.byteRate = (bytes / elapsedMs) * 1000
      }
      return report
    }
    const samples = item.samples
    const latest = samples.at(-1)
    // The newest sample at or before the window's start, else the oldest: the rate covers at most the window.
    let base = samples.at(0)
    for (const s of samples) {
      if (s.t > now - this.windowMs) break
      base = s
    }
    if (!latest || !base) return report
    const span = now - base.t
    if (span < MIN_RATE_SPAN_MS) return report
    report.rate = ((latest.done - base.done) / span) * 1000
    if (latest.bytes !== undefined && base.bytes !== undefined) report.byteRate = ((latest.bytes - base.bytes) / span) * 1000
    if (u.total !== undefined && report.rate > 0) report.secondsLeft = Math.max(0, u.total - u.done) / report.rate
    return report
  }
}

function bytesOf(u: ProgressUpdate): number | undefined {
  return u.bytes ?? (u.unit === 'bytes' ? u.done : undefined)
}

function addSample(samples: Sample[], sample: Sample, windowStart: number): void {
  const previous = samples.at(-2)
  if (previous && sample.t - previous.t < SAMPLE_SPACING_MS) samples[samples.length - 1] = sample
  else samples.push(sample)
  // Keep one sample at or before the window's start: the rate's base.
  while ((samples.at(1)?.t ?? Infinity) <= windowStart) samples.shift()
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/**
 * One line for a report, e.g.
 *   download data/train.csv: 45%, 4.5 MiB of 10.0 MiB, 1.2 MiB/s, 5 s left
 *   fetch code, receiving objects: 45% (450/1000), 1.2 MiB, 600.0 KiB/s, 2 s left
 *   download data/stream.bin: 4.5 MiB, 1.2 MiB/s               (no total)
 *   download data/train.csv: 100%, 10.0 MiB in 8.1 s (1.2 MiB/s)   (done)
 */
export function formatProgress(r: ProgressReport): string {
  const head = `${r.phase} ${printable(r.label)}${r.step ? `, ${printable(r.step)}` : ''}`
  const bytes = bytesOf(r)
  const rate =
    r.byteRate !== undefined ? `${formatBytes(Math.round(r.byteRate))}/s` : r.rate !== undefined ? `${Math.round(r.rate)} ${r.unit}/s` : ''
  // Objects read as git shows them, "45% (450/1000), 1.2 MiB"; bytes as "45%, 4.5 MiB of 10.0 MiB".
  const objects = r.total === undefined ? `${r.done} ${r.unit}` : `(${r.done}/${r.total})`
  const withBytes = bytes !== undefined ? `${objects}, ${formatBytes(bytes)}` : objects
  if (r.end === 'done') {
    const amount = r.unit === 'bytes' ? `, ${formatBytes(r.done)}` : ` ${withBytes}`
    return `${head}: ${r.percent !== undefined ? `${r.percent}%` : 'done'}${amount} in ${formatDuration(r.elapsedMs / 1000)}${rate ? ` (${rate})` : ''}`
  }
  const parts: string[] = []
  if (r.unit === 'bytes') {
    const amount = r.total === undefined ? formatBytes(r.done) : `${formatBytes(r.done)} of ${formatBytes(r.total)}`
    parts.push(r.percent !== undefined ? `${r.percent}%, ${amount}` : amount)
  } else {
    parts.push(r.percent !== undefined ? `${r.percent}% ${withBytes}` : withBytes)
  }
  if (r.rate === 0) parts.push('stalled')
  else if (rate) parts.push(rate)
  if (r.secondsLeft !== undefined) parts.push(`${formatDuration(r.secondsLeft)} left`)
  return `${head}: ${parts.join(', ')}`
}

/** < 0.1 s, 8.1 s, 42 s, 2 min 05 s, 1 h 02 min. */
export function formatDuration(seconds: number): string {
  if (seconds < 0.1) return '< 0.1 s'
  if (seconds < 10) return `${(Math.floor(seconds * 10) / 10).toFixed(1)} s`
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
}

/**
 * Control characters (C0, DEL, C1: a lone 0x9b is a CSI on some terminals),
 * line and paragraph separators and bidi overrides shown as `?`, so a label
 * cannot move the cursor, end the line or reorder what follows it.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '?')
}
