/**
 * Progress as a user sees it, from the real CLI (dist/) against loopback git
 * and data servers: a repository with a few hundred objects (git reports
 * them), a dataset the server sends slowly with a Content-Length, one without
 * (chunked), and the archive.
 *
 * - stderr a pipe (CI, a log file): plain lines, nothing redrawn;
 * - stderr a terminal (a pseudo-terminal from util-linux `script`): one line
 *   redrawn with a carriage return and a clear-to-end, gone from the screen
 *   by the time log lines and the result are printed;
 * - --quiet: none at all.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { paced, patternBytes, startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { CLI, cliEnv, runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/workspace.js'

const KiB = 1024
const ESC = '\x1b'
const CLEAR = `${ESC}[K`
const SLOW_BYTES = 1536 * KiB
const STREAM_BYTES = 512 * KiB
/** 300 files, a tree and a commit. */
const OBJECTS = 302

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let data: DataServer
let commit: string

beforeAll(async () => {
  root = await tempDir()
  const files: Record<string, Buffer> = {}
  for (let i = 0; i < OBJECTS - 2; i++) files[`f${String(i).padStart(3, '0')}.txt`] = patternBytes(2000 + i, i)
  commit = (await makeRepo(path.join(root.dir, 'repo'), files)).commit
  await makeBareClone(path.join(root.dir, 'repo'), path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
  data = await startDataServer()
  // About a second, whatever the machine: long enough for the terminal line to be redrawn several times.
  data.route('/slow.bin', paced(SLOW_BYTES, { chunkSize: 64 * KiB, intervalMs: 40 }))
  data.route('/stream.bin', paced(STREAM_BYTES, { chunkSize: 64 * KiB, intervalMs: 20, contentLength: false }))
})

afterAll(async () => {
  await Promise.all([git?.close(), data?.close()])
  await root?.cleanup()
})

const args = (jobId: string): string[] => [
  'pack',
  '--git-url',
  git.url('repo.git'),
  '--commit',
  commit,
  '--data-url',
  data.url('/slow.bin'),
  '--data-url',
  data.url('/stream.bin'),
  '--command',
  'true',
  '--allow-protocols',
  'http',
  '--allow-private-network',
  '--pin-base-image',
  'off',
  '--out',
  path.join(root.dir, 'out'),
  '--job-id',
  jobId
]

describe('progress on a pipe', () => {
  test('plain lines for the fetch, each download and the archive; no carriage returns, no escapes', async () => {
    const res = await runCli(args('plain-1'))
    expect(res.code).toBe(0)
    expect(res.stderr).not.toContain('\r')
    expect(res.stderr).not.toContain(ESC)
    const lines = res.stderr.split('\n')
    const index = (re: RegExp): number => {
      const i = lines.findIndex((l) => re.test(l))
      if (i < 0) throw new Error(`no line matches ${re}:\n${res.stderr}`)
      return i
    }
    // Objects as git counted them (the receiving step; resolving deltas may follow).
    index(new RegExp(`^fetch code, receiving objects: 100% \\(${OBJECTS}/${OBJECTS}\\), [\\d.]+ (B|KiB|MiB) in (< )?[\\d.]+ s`))
    // A Content-Length: the percentage and the average rate.
    const slow = index(/^download data\/slow\.bin: 100%, 1\.5 MiB in [\d.]+ s \([\d.]+ (KiB|MiB)\/s\)$/)
    // None: no percentage, only bytes and rate.
    const stream = index(/^download data\/stream\.bin: done, 512\.0 KiB in [\d.]+ s \([\d.]+ (KiB|MiB)\/s\)$/)
    // Each download's line comes before the line that reports its digest.
    expect(slow).toBeLessThan(index(/^data\/slow\.bin: 1\.5 MiB, sha256 [0-9a-f]{64}$/))
    expect(stream).toBeLessThan(index(/^data\/stream\.bin: 512\.0 KiB, sha256 [0-9a-f]{64}$/))
    const archive = index(/^archive plain-1\.tar\.gz: 100%, [\d.]+ MiB in (< )?[\d.]+ s/)
    expect(archive).toBeGreaterThan(index(/^== Write the archive$/))
    // One line per item at this length (the next would be 10 s in).
    expect(lines.filter((l) => l.startsWith('download data/slow.bin:'))).toHaveLength(1)
  })

  test('--quiet shows none', async () => {
    const res = await runCli([...args('quiet-1'), '--quiet'])
    expect(res.code).toBe(0)
    expect(res.stderr).toBe('')
  })
})

describe('progress on a terminal', () => {
  test('one line redrawn in place, erased before log lines and the result', async () => {
    // The slow download's last chunk waits until the terminal has shown it in progress, rate and time left
    // included: the frames this test reads are then there however loaded the machine is.
    let release!: () => void
    const shown = new Promise<void>((resolve) => (release = resolve))
    data.route('/slow.bin', paced(SLOW_BYTES, { chunkSize: 64 * KiB, intervalMs: 40, hold: shown }))
    const res = await runInTerminal([process.execPath, CLI, ...args('tty-1')], (output) => {
      const frames = output.split('\r').filter((f) => f.includes('download data/slow.bin: ') && f.endsWith(CLEAR))
      if (frames.length > 1 && frames.some((f) => /download data\/slow\.bin: [^|]*\/s, (< )?[\d.]+ s left/.test(f))) release()
    })
    expect(res.code).toBe(0)
    const raw = res.output
    // Redrawn: carriage return, the line, clear to the end; with a rate and a time left once measurable.
    const frames = raw
      .split('\r')
      .filter((f) => f.endsWith(CLEAR))
      .map((f) => f.slice(0, -CLEAR.length))
    // Items running at once share the line.
    const slow = frames.flatMap((f) => f.split(' | ')).filter((p) => p.startsWith('download data/slow.bin: '))
    expect(slow.length).toBeGreaterThan(1)
    expect(slow.every((p) => /^download data\/slow\.bin: \d+%, [\d.]+ (B|KiB|MiB) of 1\.5 MiB(, .*)?$/.test(p))).toBe(true)
    expect(slow.some((p) => /, [\d.]+ (KiB|MiB)\/s, (< )?[\d.]+ s left$/.test(p))).toBe(true)
    // The line is cleared before any log line is printed: a drawn frame is only ever followed by a redraw or the
    // erase (both start with \r), never by text. (Whether a frame happened to be on screen when the download's log
    // line came is timing; that none is left under it is not.)
    const drawn = [...raw.matchAll(new RegExp(`\r[^\r\n]+${ESC}\\[K`, 'g'))]
    expect(drawn.length).toBeGreaterThan(1)
    for (const m of drawn) expect(raw[m.index + m[0].length]).toBe('\r')
    expect(raw).toMatch(new RegExp(`(?:\r${ESC}\\[K|\n)data/slow\\.bin: 1\\.5 MiB, sha256 `))
    // On a terminal the line just goes away: no plain 100% lines.
    // (A frame may show 100% for the moment between the last bytes and the end of the item; never a printed line.)
    expect(raw).not.toMatch(new RegExp(`download data/slow\\.bin: 100%[^\r${ESC}]*\r?\n`))

    // What is left on the screen: log lines and the result, whole, and nothing of the progress line.
    const screen = renderScreen(raw)
    expect(screen.filter((l) => /%,|\/s\b| left|objects:/.test(l))).toEqual([])
    expect(screen).toContain('== Fetch code and data')
    expect(screen).toContain('== Write the archive')
    expect(screen).toContain('job_id          tty-1')
    expect(screen.some((l) => /^data\/slow\.bin: 1\.5 MiB, sha256 [0-9a-f]{64}$/.test(l))).toBe(true)
    expect(screen.some((l) => /^data\/stream\.bin: 512\.0 KiB, sha256 [0-9a-f]{64}$/.test(l))).toBe(true)
    expect(screen.some((l) => /^Checked out [0-9a-f]{40} \(300 files, /.test(l))).toBe(true)
  })
})

/** Runs argv on a pseudo-terminal of 100 columns (util-linux `script`); stdout and stderr both end up in `output`. */
function runInTerminal(argv: string[], onOutput?: (output: string) => void): Promise<{ code: number | null; output: string }> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`
  const command = `stty cols 100 rows 40; exec ${argv.map(quote).join(' ')}`
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: cliEnv({ TERM: 'xterm', SHELL: '/bin/sh' }),
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    let errors = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      output += c
      onOutput?.(output)
    })
    child.stderr.setEncoding('utf8').on('data', (c: string) => (errors += c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`script exited ${code}: ${errors}\n${output}`))
      else resolve({ code, output })
    })
  })
}

/**
 * The lines a terminal shows after `raw`: CR returns to the first column,
 * LF moves down, ESC [ K clears to the end of the line, anything else is
 * written over what is there. Any other escape sequence fails the test.
 */
function renderScreen(raw: string): string[] {
  let line: string[] = []
  const rows = [line]
  let col = 0
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i)
    if (c === '\r') col = 0
    else if (c === '\n') rows.push((line = []))
    else if (c === ESC) {
      // Only "clear to the end of the line" is expected: ESC [ K (or its explicit form ESC [ 0 K).
      const seq = raw.startsWith(CLEAR, i) ? CLEAR : raw.startsWith(`${ESC}[0K`, i) ? `${ESC}[0K` : undefined
      if (!seq) throw new Error(`unexpected escape sequence at ${i}: ${JSON.stringify(raw.slice(i, i + 16))}`)
      line.length = Math.min(line.length, col)
      i += seq.length - 1
    } else {
      while (line.length < col) line.push(' ')
      line[col++] = c
    }
  }
  return rows.map((r) => r.join(''))
}
