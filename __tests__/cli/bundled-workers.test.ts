/**
 * The archive's worker threads as shipped. The bundles start the bundled
 * workers next to them (dist/cli/deflate-worker.js, hash-worker.js), not the
 * TypeScript sources the other tests run under tsx; so here a copy of
 * dist/cli/ outside the repository (no sources, no node_modules, no tsx
 * within reach) packs a job big enough for both kinds of worker, and its
 * archive must be byte-identical to the one the sources write in-process. A
 * copy without the worker files must fail with an error naming the missing
 * file, instead of hanging or exiting 0. The Action's copies (dist/*.js)
 * are started directly and must answer as the sources compute.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { BLOCK_SIZE, compressBlock, OUTPUT_SIZE } from '../../src/core/archive/block-codec.js'
import { DeflatePool, HashWorker } from '../../src/core/archive/deflate-pool.js'
import { packJob } from '../../src/core/index.js'
import { cliEnv, REPO_ROOT } from '../helpers/cli.js'
import { serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { listAll, tempDir } from '../helpers/workspace.js'

const MiB = 1024 * 1024
const WORKERS = ['deflate-worker.js', 'hash-worker.js']

/** CSV-like rows: blocks that deflate. */
function rows(bytes: number): Buffer {
  const lines: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const line = `${i},${(i * 7919) % 10007},value-${i % 97}\n`
    lines.push(line)
    size += line.length
  }
  return Buffer.from(lines.join('')).subarray(0, bytes)
}

// Over 64 MiB, so the archive hashes its datasets on the hash thread (tar-archive.ts); text and random bytes, so the
// deflate threads both compress and store blocks.
const BIG = Buffer.concat([rows(3 * MiB), randomBytes(62 * MiB), rows(2 * MiB + 12345)])

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let data: DataServer
let commit: string

beforeAll(async () => {
  root = await tempDir()
  commit = (await makeRepo(path.join(root.dir, 'src'), { 'main.sh': 'wc -c "$DATA_FILE"\n' })).commit
  await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
  data = await startDataServer()
  data.route('/big.bin', serveBuffer(BIG))
  data.route('/small.csv', serveBuffer(rows(3 * MiB)))
})
afterAll(async () => {
  await Promise.all([git?.close(), data?.close()])
  await root?.cleanup()
})

/** dist/cli/ copied to a folder of its own, with or without the worker files. */
async function copyCli(name: string, withWorkers: boolean): Promise<string> {
  const dir = path.join(root.dir, name)
  await mkdir(dir)
  for (const file of ['index.js', 'package.json', ...(withWorkers ? WORKERS : [])])
    await copyFile(path.join(REPO_ROOT, 'dist', 'cli', file), path.join(dir, file))
  return path.join(dir, 'index.js')
}

interface Exit {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

/** Runs a CLI script from its own folder; a run that hangs is killed after a minute and reported by its signal. */
async function runScript(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      cwd: path.dirname(cli),
      env: cliEnv(env),
      timeout: 60_000,
      maxBuffer: 16 * MiB
    })
    return { code: 0, signal: null, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; signal?: string; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : null, signal: e.signal ?? null, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

const spec = (dataPath: string, jobId: string) => ({
  git_url: git.url('repo.git'),
  commit_hash: commit,
  data_url: data.url(dataPath),
  command: 'sh main.sh',
  job_id: jobId
})

const flags = (s: ReturnType<typeof spec>, out: string) => [
  'pack',
  '--git-url',
  s.git_url,
  '--commit',
  s.commit_hash,
  '--data-url',
  s.data_url,
  '--command',
  s.command,
  '--job-id',
  s.job_id,
  '--out',
  out,
  '--allow-protocols',
  'https,http',
  '--allow-private-network',
  '--json'
]

describe('the bundled worker threads', () => {
  it('a copy of dist/cli/ packs the same archive bytes as the sources', async () => {
    const s = spec('/big.bin', 'bundled')
    const cli = await copyCli('cli-complete', true)
    // Another thread count than the in-process run: the bytes must not depend on it.
    const res = await runScript(cli, flags(s, path.join(root.dir, 'out-bundle')), { JOB_PACKAGER_THREADS: '3' })
    expect(res.stderr).not.toMatch(/error/i)
    expect(res.code).toBe(0)
    const bundled = JSON.parse(res.stdout) as { archive_path: string; archive_sha256: string }

    const fromSources = await packJob(s, {
      allowProtocols: ['https', 'http'],
      allowPrivateNetwork: true,
      outDir: path.join(root.dir, 'out-sources')
    })
    expect(fromSources.manifest.datasets[0]?.size).toBe(BIG.length)
    const a = await readFile(bundled.archive_path)
    const b = await readFile(fromSources.archivePath)
    expect(a.length).toBe(b.length)
    expect(a.equals(b)).toBe(true)
    expect(bundled.archive_sha256).toBe(fromSources.archiveSha256)
  }, 180_000)

  it("the Action's bundled workers (dist/) compress and hash as the sources do", async () => {
    const block = rows(BLOCK_SIZE)
    const input = new SharedArrayBuffer(BLOCK_SIZE)
    Buffer.from(input).set(block)
    const output = new SharedArrayBuffer(OUTPUT_SIZE)
    const dist = (file: string) => ({ url: pathToFileURL(path.join(REPO_ROOT, 'dist', file)) })
    const pool = new DeflatePool(1, dist('deflate-worker.js'))
    const hasher = new HashWorker(dist('hash-worker.js'))
    try {
      const { outLength, crc } = await pool.run(input, BLOCK_SIZE, output, 6)
      expect(Buffer.from(output, 0, outLength).equals(compressBlock(block, 6)!)).toBe(true)
      expect(crc).toBe(zlib.crc32(block))
      await hasher.update(input, [[7, 100, 5000]])
      expect(await hasher.digest(7)).toBe(createHash('sha256').update(block.subarray(100, 5000)).digest('hex'))
    } finally {
      await Promise.all([pool.close(), hasher.close()])
    }
  })

  it('a copy of dist/cli/ without its worker files fails with an error naming the missing file, and leaves nothing', async () => {
    const cli = await copyCli('cli-no-workers', false)
    const out = path.join(root.dir, 'out-broken')
    const res = await runScript(cli, flags(spec('/small.csv', 'broken'), out), {})
    expect(res.signal).toBeNull()
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('Could not write the archive')
    expect(res.stderr).toContain(path.join(path.dirname(cli), 'deflate-worker.js'))
    expect(await listAll(out)).toEqual([])
  }, 120_000)
})
