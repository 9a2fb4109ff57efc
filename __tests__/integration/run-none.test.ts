/**
 * `run` with the `none` engine (run.sh on this machine, no container), on
 * real packages: the same result as a container engine — exit status, logs,
 * OUTPUT_DIR captured, result.json, the result archive — and the limits that
 * do not need a container: the timeout stops the whole process group, the
 * output limit stops the job and leaves the excess out, the log limit cuts
 * the logs. Container engines: __tests__/container/run.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { OutputError, runPackage, silentLogger, VerificationError, type PackResult, type RunOptions } from '../../src/core/index.js'
import { copyJobDir, makePackage } from '../helpers/package.js'
import { gnuTarList, listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
const results = (): string => path.join(root.dir, `results-${++n}`)

const options = (over: Partial<RunOptions> = {}): RunOptions => ({
  engine: 'none',
  timeoutMs: 60_000,
  network: 'default',
  resultsDir: results(),
  workDir: path.join(root.dir, 'work'),
  maxOutputBytes: 1024 * 1024,
  maxLogBytes: 1024 * 1024,
  ...over
})

beforeAll(async () => {
  root = await tempDir('jp-run-none-')
})
afterAll(async () => {
  await root?.cleanup()
})

/** Running (a zombie waiting for its parent to reap it is not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

describe('the none engine', () => {
  let pkg: PackResult
  beforeAll(async () => {
    pkg = await makePackage(
      root.dir,
      {
        'job.sh': [
          'echo "to stdout in $(pwd)"',
          'echo "to stderr" >&2',
          'mkdir -p "$OUTPUT_DIR/sub"',
          'echo 42 > "$OUTPUT_DIR/answer.txt"',
          'printf "%s" "$JOB_ID" > "$OUTPUT_DIR/sub/id"',
          'ln -s /etc/passwd "$OUTPUT_DIR/leak"',
          'env > "$OUTPUT_DIR/env.txt"',
          'exit 3',
          ''
        ].join('\n')
      },
      'sh job.sh'
    )
  })

  it('runs the job and captures its status, logs and output into the result folder and archive', async () => {
    const seen: string[] = []
    const process_ = process.env
    process_.JOB_PACKAGER_TOKEN = 'must-not-reach-the-job'
    let r
    try {
      r = await runPackage(pkg.archivePath, { ...options(), onOutput: (s, c) => seen.push(`${s}:${c.toString()}`) }, silentLogger)
    } finally {
      delete process_.JOB_PACKAGER_TOKEN
    }
    expect(r).toMatchObject({ jobId: pkg.jobId, exitCode: 3, timedOut: false, engine: { name: 'none' }, contentDigest: pkg.contentDigest })
    expect(r.stopped).toBeUndefined()
    expect(seen.join('')).toContain('stdout:to stdout in ')
    expect(seen.join('')).toContain('stderr:to stderr')
    expect(r.stdoutTail).toMatch(/to stdout in .*\/code\n$/)
    expect(await listAll(r.resultDir)).toEqual(['output', 'result.json', 'stderr.log', 'stdout.log'])
    expect(await readFile(path.join(r.resultDir, 'stderr.log'), 'utf8')).toBe('to stderr\n')
    expect(await readFile(path.join(r.resultDir, 'output', 'answer.txt'), 'utf8')).toBe('42\n')
    expect(await readFile(path.join(r.resultDir, 'output', 'sub', 'id'), 'utf8')).toBe(pkg.jobId)
    // The job's environment is an allow-list: no token passes through.
    expect(await readFile(path.join(r.resultDir, 'output', 'env.txt'), 'utf8')).not.toContain('must-not-reach-the-job')
    // A symlink the job left is not followed into the host: left out, and said.
    expect(await listAll(path.join(r.resultDir, 'output'))).toEqual(['answer.txt', 'env.txt', 'sub'])
    expect(r.warnings.join('\n')).toMatch(/output\/leak was left out: a symlink/)

    const result = JSON.parse(await readFile(path.join(r.resultDir, 'result.json'), 'utf8')) as {
      logs: { stderr: { sha256: string } }
      timings_ms: object
      host: { name: string }
    }
    expect(result).toMatchObject({
      job_id: pkg.jobId,
      schema: 'job-packager/result@1',
      exit_code: 3,
      stopped: null,
      engine: { name: 'none' },
      image: null,
      package: { content_digest: pkg.contentDigest, archive_sha256: pkg.archiveSha256, source_kind: 'archive' },
      output: { files: 3, truncated: false, omitted: [{ path: 'leak' }] }
    })
    expect(result.logs.stderr.sha256).toBe(createHash('sha256').update('to stderr\n').digest('hex'))
    expect(Object.keys(result.timings_ms)).toEqual(['verify', 'build', 'run', 'capture'])
    expect(result.host.name).toBeTruthy()

    const archive = await readFile(r.resultArchive)
    expect(createHash('sha256').update(archive).digest('hex')).toBe(r.resultSha256)
    expect(await gnuTarList(r.resultArchive)).toEqual(
      expect.arrayContaining([`${pkg.jobId}-result/result.json`, `${pkg.jobId}-result/output/answer.txt`, `${pkg.jobId}-result/stdout.log`])
    )
    // The work folder is gone.
    expect(await listAll(path.join(root.dir, 'work'))).toEqual([])
  })

  it('runs an unpacked job folder too, and refuses to overwrite earlier results', async () => {
    const opts = options()
    const r = await runPackage(pkg.jobDir, opts, silentLogger)
    expect(r.exitCode).toBe(3)
    const again = await runPackage(pkg.jobDir, opts, silentLogger).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(OutputError)
    expect((again as Error).message).toMatch(/already exists: the results of an earlier run/)
  })

  it('refuses a tampered package before running anything, leaving no results', async () => {
    const dir = await copyJobDir(pkg, path.join(root.dir, 'tampered'))
    await writeFile(path.join(dir, 'code', 'job.sh'), 'touch /tmp/jp-should-not-run\n')
    const opts = options()
    const err = await runPackage(dir, opts, silentLogger).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VerificationError)
    expect(await listAll(opts.resultsDir)).toEqual([])
    expect(await listAll('/tmp')).not.toContain('jp-should-not-run')
  })
})

describe('limits without a container', () => {
  it('stops a job that runs past the timeout, with everything it started', async () => {
    const pkg = await makePackage(
      root.dir,
      { 'slow.sh': 'echo $$ > "$OUTPUT_DIR/pid"\nsleep 300 &\necho $! > "$OUTPUT_DIR/child"\nwait\n' },
      'sh slow.sh'
    )
    const r = await runPackage(pkg.archivePath, options({ timeoutMs: 1500 }), silentLogger)
    expect(r).toMatchObject({ timedOut: true, stopped: 'timeout' })
    expect(r.exitCode).toBe(137)
    const pid = Number(await readFile(path.join(r.resultDir, 'output', 'pid'), 'utf8'))
    const child = Number(await readFile(path.join(r.resultDir, 'output', 'child'), 'utf8'))
    expect(alive(pid)).toBe(false)
    expect(alive(child)).toBe(false)
    const result = JSON.parse(await readFile(path.join(r.resultDir, 'result.json'), 'utf8')) as { stopped: string; timed_out: boolean }
    expect(result).toMatchObject({ stopped: 'timeout', timed_out: true })
  })

  it('stops a job that writes past the output limit, keeps what fits and lists what it left out', async () => {
    const pkg = await makePackage(
      root.dir,
      {
        'big.sh': 'printf small > "$OUTPUT_DIR/a-small.txt"\nhead -c 3145728 /dev/zero > "$OUTPUT_DIR/b-big.bin"\nsleep 300\n'
      },
      'sh big.sh'
    )
    const r = await runPackage(pkg.archivePath, options({ maxOutputBytes: 1024 * 1024 }), silentLogger)
    expect(r.stopped).toBe('output-limit')
    expect(r.truncated.output).toBe(true)
    expect(await listAll(path.join(r.resultDir, 'output'))).toEqual(['a-small.txt'])
    const result = JSON.parse(await readFile(path.join(r.resultDir, 'result.json'), 'utf8')) as {
      output: { omitted: Array<{ path: string }>; truncated: boolean }
    }
    expect(result.output.truncated).toBe(true)
    expect(result.output.omitted.map((o) => o.path)).toEqual(['b-big.bin'])
    expect(r.warnings.join('\n')).toMatch(/more than the output limit of 1048576 bytes/)
  })

  it('keeps the first max-log-bytes of stdout, counts the rest, and shows the tail', async () => {
    const pkg = await makePackage(
      root.dir,
      { 'loud.sh': 'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done\n' },
      'sh loud.sh'
    )
    const r = await runPackage(pkg.archivePath, options({ maxLogBytes: 2048 }), silentLogger)
    expect(r.exitCode).toBe(0)
    expect(r.truncated.stdout).toBe(true)
    expect((await stat(path.join(r.resultDir, 'stdout.log'))).size).toBe(2048)
    expect(r.stdoutTail).toMatch(/line 1999\n$/)
    const result = JSON.parse(await readFile(path.join(r.resultDir, 'result.json'), 'utf8')) as {
      logs: { stdout: { bytes: number; kept_bytes: number } }
    }
    expect(result.logs.stdout.kept_bytes).toBe(2048)
    expect(result.logs.stdout.bytes).toBeGreaterThan(2048)
  })
})
