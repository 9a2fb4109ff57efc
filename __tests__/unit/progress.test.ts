/**
 * Progress as pure logic, on a fake clock: the meter (recent-window rate, time
 * left, cadence, the final line), the line format, the core's counting
 * (throttled, free without a consumer), git's progress parsed and kept out of
 * error messages, and the CLI logger's two forms (a redrawn terminal line,
 * plain lines) driven through fake timers.
 */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { createCliLogger, LINE_REFRESH_MS, PLAIN_INTERVAL_MS } from '../../src/cli/cli-logger.js'
import { FetchProgress, withoutProgress } from '../../src/core/git/fetch-progress.js'
import type { Logger } from '../../src/core/logger.js'
import {
  formatDuration,
  formatProgress,
  printable,
  ProgressMeter,
  trackProgress,
  TRACK_INTERVAL_MS,
  type ProgressReport,
  type ProgressUpdate
} from '../../src/core/progress.js'

const MiB = 1024 * 1024

/** A clock the test moves by hand. */
function fakeClock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => (t += ms) }
}

const download = (done: number, more: Partial<ProgressUpdate> = {}): ProgressUpdate => ({
  phase: 'download',
  label: 'data/train.csv',
  unit: 'bytes',
  done,
  total: 100 * MiB,
  ...more
})

/** The one element of `items`. */
function only<T>(items: T[]): T {
  const [item, ...rest] = items
  if (item === undefined || rest.length > 0) throw new Error(`expected one item, got ${items.length}`)
  return item
}

function two<T>(items: T[]): [T, T] {
  const [a, b, ...rest] = items
  if (a === undefined || b === undefined || rest.length > 0) throw new Error(`expected two items, got ${items.length}`)
  return [a, b]
}

/** A logger that records progress updates and lines. */
function recorder(withProgress = true): { logger: Logger; updates: ProgressUpdate[] } {
  const updates: ProgressUpdate[] = []
  const logger: Logger = {
    info: () => {},
    warn: () => {},
    debug: () => {},
    group: async (_n, fn) => fn()
  }
  if (withProgress) logger.progress = (u) => updates.push(u)
  return { logger, updates }
}

describe('ProgressMeter', () => {
  test('the rate covers the recent window, not the time since the start', () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 1000, windowMs: 5000, now: clock.now })
    let done = 0
    meter.record(download(done))
    // 10 s at 1 MiB/s, then 5 s at 3 MiB/s, one update every 100 ms.
    for (let i = 0; i < 100; i++) {
      clock.advance(100)
      meter.record(download((done += MiB / 10)))
    }
    for (let i = 0; i < 50; i++) {
      clock.advance(100)
      meter.record(download((done += (3 * MiB) / 10)))
    }
    const report = only(meter.snapshot())
    expect(report.rate! / MiB).toBeCloseTo(3, 5) // the average since the start would be 25/15 ≈ 1.67
    expect(report.percent).toBe(25)
    expect(report.secondsLeft).toBeCloseTo((75 * MiB) / (3 * MiB), 5)
    expect(report.elapsedMs).toBe(15000)
  })

  test('time left follows the total; without a total there is no percent and no time left', () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 1000, now: clock.now })
    meter.record(download(0, { total: 10 * MiB }))
    meter.record(download(0, { label: 'data/stream.bin', total: undefined }))
    clock.advance(2000)
    meter.record(download(4 * MiB, { total: 10 * MiB }))
    meter.record(download(4 * MiB, { label: 'data/stream.bin', total: undefined }))
    const [known, unknown] = two(meter.snapshot())
    expect(known).toMatchObject({ percent: 40, rate: 2 * MiB, secondsLeft: 3 })
    expect(unknown).toMatchObject({ rate: 2 * MiB })
    expect(unknown.percent).toBeUndefined()
    expect(unknown.secondsLeft).toBeUndefined()
    expect(formatProgress(known)).toBe('download data/train.csv: 40%, 4.0 MiB of 10.0 MiB, 2.0 MiB/s, 3.0 s left')
    expect(formatProgress(unknown)).toBe('download data/stream.bin: 4.0 MiB, 2.0 MiB/s')
  })

  test('no rate in the first half second; a transfer with no bytes for a whole window is "stalled"', () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 1000, windowMs: 5000, now: clock.now })
    meter.record(download(0))
    clock.advance(300)
    meter.record(download(MiB))
    expect(only(meter.snapshot()).rate).toBeUndefined()
    expect(formatProgress(only(meter.snapshot()))).toBe('download data/train.csv: 1%, 1.0 MiB of 100.0 MiB')
    clock.advance(6000) // nothing arrives
    const stalled = only(meter.snapshot())
    expect(stalled.rate).toBe(0)
    expect(stalled.secondsLeft).toBeUndefined()
    expect(formatProgress(stalled)).toBe('download data/train.csv: 1%, 1.0 MiB of 100.0 MiB, stalled')
  })

  test('reports come at the cadence per item, plus one when the item is done', () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 10_000, now: clock.now })
    const at: number[] = []
    const reports: ProgressReport[] = []
    const record = (u: ProgressUpdate): void => {
      const r = meter.record(u)
      if (r) {
        at.push(r.elapsedMs)
        reports.push(r)
      }
    }
    record(download(0, { total: 25 * MiB }))
    record(download(0, { label: 'data/other.bin', total: 25 * MiB }))
    for (let t = 1; t <= 250; t++) {
      clock.advance(100)
      record(download((t * MiB) / 10, { total: 25 * MiB }))
      // The other item reports only every 300 ms, but has a cadence of its own too.
      if (t % 3 === 0) record(download((t * MiB) / 10, { label: 'data/other.bin', total: 25 * MiB }))
    }
    record(download(25 * MiB, { total: 25 * MiB, end: 'done' }))
    const train = reports.filter((r) => r.label === 'data/train.csv')
    const other = reports.filter((r) => r.label === 'data/other.bin')
    expect(train.map((r) => r.elapsedMs)).toEqual([10_000, 20_000, 25_000])
    expect(other.map((r) => r.elapsedMs)).toEqual([10_200, 20_400])
    expect(train.at(-1)).toMatchObject({ end: 'done', percent: 100 })
    expect(train.at(-1)!.rate! / MiB).toBeCloseTo(1, 9)
    expect(formatProgress(train.at(-1)!)).toBe('download data/train.csv: 100%, 25.0 MiB in 25 s (1.0 MiB/s)')
    // The finished item is gone; the other is still running.
    expect(meter.snapshot().map((r) => r.label)).toEqual(['data/other.bin'])
    expect(at).toHaveLength(5)
  })

  test('a failed item is dropped without a report', () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 1000, now: clock.now })
    meter.record(download(0))
    clock.advance(5000)
    meter.record(download(50 * MiB))
    expect(meter.record(download(50 * MiB, { end: 'failed' }))).toBeUndefined()
    expect(meter.size).toBe(0)
    // The retry: the same item from 0 again, with an elapsed time and a rate of its own.
    meter.record(download(0))
    clock.advance(2000)
    meter.record(download(2 * MiB))
    expect(meter.snapshot()).toEqual([expect.objectContaining({ done: 2 * MiB, elapsedMs: 2000, rate: MiB })])
  })

  test('a count going backwards starts the item over', () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 1000, now: clock.now })
    meter.record(download(0))
    clock.advance(4000)
    meter.record(download(40 * MiB))
    meter.record(download(0))
    clock.advance(1000)
    meter.record(download(3 * MiB))
    expect(meter.snapshot()).toEqual([expect.objectContaining({ done: 3 * MiB, elapsedMs: 1000, rate: 3 * MiB })])
  })

  test('a final report of an item without a total says "done" and gives the average', () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 10_000, now: clock.now })
    meter.record(download(0, { total: undefined }))
    clock.advance(4000)
    const final = meter.record(download(8 * MiB, { total: undefined, end: 'done' }))
    expect(formatProgress(final!)).toBe('download data/train.csv: done, 8.0 MiB in 4.0 s (2.0 MiB/s)')
  })

  test("git's objects read as git shows them, with the bytes and a byte rate", () => {
    const clock = fakeClock()
    const meter = new ProgressMeter({ intervalMs: 1000, now: clock.now })
    const fetch = (done: number, bytes: number, end?: 'done'): ProgressUpdate => ({
      phase: 'fetch',
      label: 'code',
      step: 'receiving objects',
      unit: 'objects',
      done,
      total: 1000,
      bytes,
      end
    })
    meter.record(fetch(0, 0))
    clock.advance(2000)
    const mid = meter.record(fetch(450, 1.2 * MiB))!
    expect(formatProgress(mid)).toBe('fetch code, receiving objects: 45% (450/1000), 1.2 MiB, 614.4 KiB/s, 2.4 s left')
    clock.advance(2000)
    const final = meter.record(fetch(1000, 2 * MiB, 'done'))!
    expect(formatProgress(final)).toBe('fetch code, receiving objects: 100% (1000/1000), 2.0 MiB in 4.0 s (512.0 KiB/s)')
    const deltas: ProgressUpdate = { phase: 'fetch', label: 'code', step: 'resolving deltas', unit: 'objects', done: 0, total: 120 }
    meter.record(deltas)
    clock.advance(1000)
    expect(formatProgress(meter.record({ ...deltas, done: 60 })!)).toBe(
      'fetch code, resolving deltas: 50% (60/120), 60 objects/s, 1.0 s left'
    )
  })
})

describe('formatting', () => {
  test('durations', () => {
    expect(formatDuration(0.04)).toBe('< 0.1 s')
    expect(formatDuration(0.1)).toBe('0.1 s')
    expect(formatDuration(8.16)).toBe('8.1 s')
    expect(formatDuration(42.4)).toBe('42 s')
    expect(formatDuration(125)).toBe('2 min 05 s')
    expect(formatDuration(3725)).toBe('1 h 02 min')
  })

  test('a label cannot move the cursor, end the line or reorder the text', () => {
    expect(printable('a\x1b[2Jb\rc\nd\x9b31me\u202ef\u2028g')).toBe('a?[2Jb?c?d?31me?f?g')
    const r: ProgressReport = { phase: 'download', label: 'data/\x1b]0;pwned\x07x.bin', unit: 'bytes', done: 1, elapsedMs: 0 }
    expect(formatProgress(r)).toBe('download data/?]0;pwned?x.bin: 1 B')
  })
})

describe('trackProgress (the core side)', () => {
  test('sends a start, then at most one update per interval, and the last count at the end', () => {
    const clock = fakeClock()
    const { logger, updates } = recorder()
    const tracker = trackProgress(logger, { phase: 'download', label: 'data/x', unit: 'bytes', total: 1000 }, clock.now)
    expect(updates).toEqual([{ phase: 'download', label: 'data/x', unit: 'bytes', done: 0, total: 1000 }])
    for (let i = 1; i <= 100; i++) {
      clock.advance(10) // a chunk every 10 ms for a second
      tracker.update(i * 10)
    }
    expect(updates.map((u) => u.done)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    expect(TRACK_INTERVAL_MS).toBe(100)
    tracker.update(1000)
    tracker.finish()
    tracker.fail() // after finish: nothing (it sits in a finally)
    tracker.update(5)
    expect(updates.at(-1)).toEqual({ phase: 'download', label: 'data/x', unit: 'bytes', done: 1000, total: 1000, end: 'done' })
    expect(updates.filter((u) => u.end)).toHaveLength(1)
  })

  test('a failure is sent once; a logger without progress is never asked anything', () => {
    const { logger, updates } = recorder()
    const tracker = trackProgress(logger, { phase: 'archive', label: 'j.tar.gz', unit: 'bytes' })
    tracker.fail()
    tracker.fail()
    expect(updates.map((u) => u.end)).toEqual([undefined, 'failed'])
    const silent = recorder(false)
    const now = jest.fn(() => 0)
    const untracked = trackProgress(silent.logger, { phase: 'archive', label: 'j.tar.gz', unit: 'bytes' }, now)
    untracked.update(5)
    untracked.finish()
    expect(now).not.toHaveBeenCalled()
  })
})

describe("git's progress", () => {
  // What git 2.39 writes with --progress (LC_ALL=C), remote steps included.
  const STDERR = [
    'remote: Enumerating objects: 354, done.        \n',
    'remote: Counting objects:  50% (177/354)        \rremote: Counting objects: 100% (354/354), done.        \n',
    'remote: Total 354 (delta 51), reused 0 (delta 0), pack-reused 0        \n',
    'Receiving objects:   0% (1/354)\rReceiving objects:  45% (160/354), 300.00 KiB | 600.00 KiB/s\r',
    'Receiving objects: 100% (354/354), 619.81 KiB | 2.69 MiB/s, done.\n',
    'Resolving deltas:   0% (0/51)\rResolving deltas: 100% (51/51), done.\n'
  ].join('')

  test('each step is counted, from chunks cut anywhere, and closed by its ", done."', () => {
    const { logger, updates } = recorder()
    const progress = new FetchProgress(logger)
    for (let i = 0; i < STDERR.length; i += 7) progress.push(STDERR.slice(i, i + 7))
    progress.end(true)
    const finals = updates.filter((u) => u.end)
    expect(finals).toEqual([
      {
        phase: 'fetch',
        label: 'code',
        step: 'receiving objects',
        unit: 'objects',
        done: 354,
        total: 354,
        bytes: Math.round(619.81 * 1024),
        end: 'done'
      },
      { phase: 'fetch', label: 'code', step: 'resolving deltas', unit: 'objects', done: 51, total: 51, end: 'done' }
    ])
    // The server's own steps are not read: nothing of its text becomes a label or a step.
    expect(updates.every((u) => u.step === 'receiving objects' || u.step === 'resolving deltas')).toBe(true)
  })

  test('a fetch that fails drops its open steps without a final count', () => {
    const { logger, updates } = recorder()
    const progress = new FetchProgress(logger)
    progress.push('Receiving objects:  45% (160/354), 300.00 KiB | 600.00 KiB/s\r')
    progress.end(false)
    expect(updates.map((u) => [u.done, u.end])).toEqual([
      [0, undefined],
      [160, 'failed']
    ])
  })

  test('stderr without progress keeps exactly the error lines', () => {
    const failed =
      STDERR.slice(0, STDERR.indexOf('Receiving objects: 100%')) +
      'error: RPC failed; curl 18 transfer closed with outstanding read data remaining\n' +
      'fatal: early EOF\r\n' +
      'Receiving objects:  46% (161/354)\rfatal: index-pack failed\n'
    expect(withoutProgress(failed).split('\n').filter(Boolean)).toEqual([
      'remote: Total 354 (delta 51), reused 0 (delta 0), pack-reused 0        ',
      'error: RPC failed; curl 18 transfer closed with outstanding read data remaining',
      'fatal: early EOF',
      'fatal: index-pack failed'
    ])
    // Steps this parser does not know are still progress-shaped, and still dropped.
    expect(withoutProgress('remote: Finding sources:  10% (1/10)\rremote: Finding sources: 100% (10/10), done.\nfatal: x\n')).toBe(
      'fatal: x\n'
    )
  })
})

describe('the CLI logger', () => {
  const term = process.env.TERM
  beforeEach(() => {
    process.env.TERM = 'xterm-256color'
  })
  afterEach(() => {
    jest.useRealTimers()
    if (term === undefined) delete process.env.TERM
    else process.env.TERM = term
  })

  function stream(
    isTTY: boolean,
    columns = 200
  ): { out: string[]; text: () => string; isTTY: boolean; columns: number; write: (s: string) => boolean } {
    const out: string[] = []
    return { out, text: () => out.join(''), isTTY, columns, write: (s: string) => out.push(s) > 0 }
  }

  test('not on a terminal: plain lines every 10 s per item, and one at 100%', async () => {
    const clock = fakeClock()
    const s = stream(false)
    const logger = createCliLogger({ quiet: false, verbose: false, stream: s, now: clock.now })
    await logger.group('Fetch code and data', () => {
      logger.progress!(download(0, { total: 30 * MiB }))
      for (let i = 1; i <= 300; i++) {
        clock.advance(100)
        logger.progress!(download((i * MiB) / 10, { total: 30 * MiB }))
      }
      logger.progress!(download(30 * MiB, { total: 30 * MiB, end: 'done' }))
      logger.info('data/train.csv: 30.0 MiB, sha256 …')
      return Promise.resolve()
    })
    expect(s.text()).not.toContain('\r')
    expect(s.text()).not.toContain('\x1b')
    expect(s.text().split('\n')).toEqual([
      '== Fetch code and data',
      'download data/train.csv: 33%, 10.0 MiB of 30.0 MiB, 1.0 MiB/s, 20 s left',
      'download data/train.csv: 66%, 20.0 MiB of 30.0 MiB, 1.0 MiB/s, 10 s left',
      'download data/train.csv: 100%, 30.0 MiB in 30 s (1.0 MiB/s)',
      'data/train.csv: 30.0 MiB, sha256 …',
      ''
    ])
    expect(PLAIN_INTERVAL_MS).toBe(10_000)
  })

  test('--quiet: no progress at all (the core does not even count)', () => {
    const logger = createCliLogger({ quiet: true, verbose: false, stream: stream(true) })
    expect(logger.progress).toBeUndefined()
  })

  test('on a terminal: one line redrawn in place, erased before any other line and when the phase ends', async () => {
    jest.useFakeTimers({ now: 0 })
    const s = stream(true, 60)
    const logger = createCliLogger({ quiet: false, verbose: false, stream: s, now: () => Date.now() })
    const phase = logger.group('Fetch code and data', () => {
      logger.progress!(download(0, { total: 10 * MiB }))
      logger.progress!({ phase: 'fetch', label: 'code', step: 'receiving objects', unit: 'objects', done: 0, total: 10 })
      expect(s.text()).toBe('== Fetch code and data\n') // nothing drawn before the first tick
      jest.advanceTimersByTime(LINE_REFRESH_MS)
      const frame = s.out.at(-1)!
      expect(frame.startsWith('\r')).toBe(true)
      expect(frame.endsWith('\x1b[K')).toBe(true)
      // Both items on one line, cut to the terminal's width (less its last column).
      expect(frame).toBe('\rdownload data/train.csv: 0%, 0 B of 10.0 MiB | fetch code,…\x1b[K')
      expect([...frame.slice(1, -3)]).toHaveLength(59)
      s.columns = 120 // the window is widened: the next frames use the new width
      logger.info('Checked out abc')
      expect(s.out.slice(-2)).toEqual(['\r\x1b[K', 'Checked out abc\n'])
      jest.advanceTimersByTime(LINE_REFRESH_MS) // redrawn under it
      expect(s.out.at(-1)).toMatch(/^\rdownload data\/train\.csv: 0%/)
      logger.progress!({ phase: 'fetch', label: 'code', step: 'receiving objects', unit: 'objects', done: 10, total: 10, end: 'done' })
      logger.progress!(download(5 * MiB, { total: 10 * MiB }))
      jest.advanceTimersByTime(LINE_REFRESH_MS)
      expect(s.out.at(-1)).toBe('\rdownload data/train.csv: 50%, 5.0 MiB of 10.0 MiB, 6.7 MiB/s, 0.7 s left\x1b[K')
      return Promise.reject(new Error('the phase fails with the download still running'))
    })
    await expect(phase).rejects.toThrow('the phase fails')
    // The phase's end erased the line and stopped the redraws.
    expect(s.out.at(-1)).toBe('\r\x1b[K')
    const before = s.out.length
    jest.advanceTimersByTime(10 * LINE_REFRESH_MS)
    expect(s.out.length).toBe(before)
    // No final 100% lines on a terminal: the line just goes away.
    expect(s.text()).not.toContain('100%')
  })

  test('on a terminal, the line goes as soon as nothing runs', () => {
    jest.useFakeTimers({ now: 0 })
    const s = stream(true)
    const logger = createCliLogger({ quiet: false, verbose: false, stream: s, now: () => Date.now() })
    logger.progress!(download(0))
    jest.advanceTimersByTime(LINE_REFRESH_MS)
    logger.progress!(download(100 * MiB, { end: 'done' }))
    expect(s.out.at(-1)).toBe('\r\x1b[K')
    expect(jest.getTimerCount()).toBe(0)
  })
})
