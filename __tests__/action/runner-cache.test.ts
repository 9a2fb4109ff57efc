/**
 * The dataset cache across workflow runs, as a runner runs the step: the
 * bundled Action with the real @actions/cache client against the local cache
 * service (cache-backend.ts: Twirp CacheService + Azurite).
 *
 * Each run gets a fresh machine the way a GitHub-hosted runner does: the same
 * paths (RUNNER_TEMP, the workspace), emptied, and a new tool cache. Only the
 * repository's cache, held by the backend, carries anything from one run to
 * the next.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { link, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { actionsCacheKey, actionsCacheMember, actionsCachePath } from '../../src/action/actions-dataset-cache.js'
import { startCacheBackend, type CacheBackend } from '../helpers/cache-backend.js'
import { run } from '../helpers/git-server.js'
import { runAction, type RunActionResult } from '../helpers/run-action.js'
import { DATASET, DATASET_SHA, errors, listTree, repoRoot, sha256, startFixture, transcript, type Fixture } from './support.js'

let fx: Fixture
let backend: CacheBackend
let root: string
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  ;[fx, backend] = await Promise.all([startFixture(), startCacheBackend()])
  root = await mkdtemp(path.join(tmpdir(), 'jp-cache-'))
})

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

afterAll(async () => {
  await Promise.all([fx?.close(), backend?.close(), root ? rm(root, { recursive: true, force: true }) : undefined])
})

/** A hosted runner's layout: the workspace two levels below the work folder, RUNNER_TEMP beside them. */
const workspace = (): string => path.join(root, 'work', 'repo', 'repo')
const runnerTemp = (): string => path.join(root, 'work', '_temp')

/** Empties the "machine": what a new job on a GitHub-hosted runner starts from. */
async function freshMachine(): Promise<void> {
  await rm(path.join(root, 'work'), { recursive: true, force: true })
  await Promise.all([mkdir(workspace(), { recursive: true }), mkdir(runnerTemp(), { recursive: true })])
}

/** One step on a fresh machine; upload off (the artifact is not what is tested here). */
async function pack(
  jobId: string,
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {}
): Promise<RunActionResult> {
  await freshMachine()
  const r = await runAction({
    actionDir: repoRoot,
    workspace: workspace(),
    inputs: {
      'git-url': fx.git.url('model.git'),
      'commit-hash': fx.commit,
      'data-url': fx.data.url('/data/train.csv'),
      command: 'python train.py',
      'job-id': jobId,
      upload: 'false',
      ...fx.loopback,
      ...inputs
    },
    env: { ...backend.env, RUNNER_TEMP: runnerTemp(), ...env }
  })
  cleanups.push(r.cleanup)
  return r
}

const warnings = (r: RunActionResult): string[] => r.commands.filter((c) => c.command === 'warning').map((c) => c.message)
const dataRequests = (): number => fx.data.requests.filter((q) => q.pathname === '/data/train.csv').length
const cacheCalls = (method: string): number => backend.requests.filter((q) => q.method === method).length
const jobFile = (r: RunActionResult, jobId: string, file: string): Promise<Buffer> => readFile(path.join(r.workspace, 'jobs', jobId, file))

/**
 * Stores `bytes` in the repository's cache under the dataset's key, the way
 * any workflow of the repository could: with the real client, the same key,
 * the same path (hence the same version). What a poisoned entry looks like.
 */
async function poisonEntry(sha: string, bytes: Buffer): Promise<void> {
  await freshMachine()
  const file = actionsCachePath(runnerTemp(), sha)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, bytes)
  const script =
    "import { saveCache } from '@actions/cache'; process.exitCode = (await saveCache([process.env.ENTRY_PATH], process.env.ENTRY_KEY)) === -1 ? 3 : 0"
  const res = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    allowFailure: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...backend.env,
      GITHUB_WORKSPACE: workspace(),
      RUNNER_TEMP: runnerTemp(),
      ENTRY_PATH: file,
      ENTRY_KEY: actionsCacheKey(sha)
    }
  })
  if (res.code !== 0) throw new Error(`saving the poisoned entry failed (${res.code}): ${res.stdout}\n${res.stderr}`)
}

/** A member of a crafted archive: its name in the archive, and what it is. */
type CraftedMember = { name: string; file: Buffer } | { name: string; symlinkTo: string } | { name: string; hardLinkTo: string }

/**
 * Stores a hand-made archive under the dataset's key and the version the
 * real client gives that key's path, as a workflow with write access to the
 * repository's cache can: the real client saves the right dataset first (so
 * the version and the compression are the client's own, not ours), then its
 * entry is replaced by GNU tar's archive of `members` (written with `-P`, as
 * the client writes, names set with --transform), compressed like the
 * client's.
 */
async function craftEntry(sha: string, members: CraftedMember[]): Promise<void> {
  const key = actionsCacheKey(sha)
  // Whatever an earlier (failed) test left under the key goes first.
  if (backend.entries.some((e) => e.key === key)) await backend.deleteEntry(key)
  await poisonEntry(sha, DATASET)
  const saved = backend.entries.find((e) => e.key === key && e.finalized)!
  const zstd = (await backend.readEntry(key)).subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))
  await backend.deleteEntry(key)

  const stage = await mkdtemp(path.join(root, 'craft-'))
  try {
    const transforms: string[] = []
    const names: string[] = []
    for (const [i, m] of members.entries()) {
      const local = `m${i}`
      if ('file' in m) await writeFile(path.join(stage, local), m.file)
      else if ('symlinkTo' in m) await symlink(m.symlinkTo, path.join(stage, local))
      else await link(path.join(stage, `m${members.findIndex((o) => o.name === m.hardLinkTo)}`), path.join(stage, local))
      // sed's s command with "|" as the separator: the names hold no "|".
      transforms.push('--transform', `s|^${local}$|${m.name}|`)
      names.push(local)
    }
    const tar = path.join(stage, 'archive.tar')
    const made = await run('tar', ['--posix', '-cf', tar, '-P', ...transforms, ...names], { cwd: stage, allowFailure: true })
    if (made.code !== 0) throw new Error(`tar failed: ${made.stderr}`)
    const archive = zstd ? path.join(stage, 'archive.tar.zst') : `${tar}.gz`
    const packed = await run(zstd ? 'zstd' : 'gzip', zstd ? ['-q', '-T0', tar, '-o', archive] : ['-n', '-k', tar], { allowFailure: true })
    if (packed.code !== 0) throw new Error(`compressing failed: ${packed.stderr}`)
    await backend.putEntry(key, saved.version, await readFile(archive))
  } finally {
    await rm(stage, { recursive: true, force: true })
  }
}

// dataset-cache: auto on a GitHub-hosted runner (run-action's RUNNER_ENVIRONMENT) is the Actions cache.
describe('dataset cache across runs', () => {
  const pinned = { 'data-sha256': DATASET_SHA }
  const key = actionsCacheKey(DATASET_SHA)

  test('the first run downloads and saves; the next run, on a fresh machine, restores without contacting the data server', async () => {
    const before = dataRequests()
    const first = await pack('cached-job', pinned)
    expect(first.code).toBe(0)
    expect(errors(first)).toEqual([])
    expect(warnings(first)).toEqual([])
    expect(dataRequests()).toBe(before + 1)
    expect(first.stdout).toContain('Dataset cache: the Actions cache (dataset-cache: auto, on a GitHub-hosted runner).')
    expect(first.stdout).toContain(`data/train.csv: saved to the Actions cache (sha256 ${DATASET_SHA})`)
    expect(first.summary).toContain('downloaded; saved to the Actions cache')
    // One finalized entry under the digest's key; its archive holds the dataset (zstd tar, read back below by restoring).
    expect(backend.entries.filter((e) => e.key === key && e.finalized)).toHaveLength(1)
    expect((await backend.readEntry(key)).length).toBeGreaterThan(0)
    const firstJobJson = await jobFile(first, 'cached-job', 'job.json')
    // Nothing of the cache's is left in RUNNER_TEMP.
    await expect(readFile(actionsCachePath(runnerTemp(), DATASET_SHA))).rejects.toThrow(/ENOENT/)

    const second = await pack('cached-job', pinned)
    expect(second.code).toBe(0)
    expect(warnings(second)).toEqual([])
    expect(dataRequests()).toBe(before + 1)
    expect(second.stdout).toMatch(/data\/train\.csv: .* from the dataset cache \(the Actions cache; sha256 [0-9a-f]{64}, re-hashed\)/)
    expect(second.summary).toContain('from the Actions cache (re-hashed)')
    expect(await jobFile(second, 'cached-job', 'data/train.csv')).toEqual(DATASET)
    // A hit saves nothing again.
    expect(backend.entries.filter((e) => e.key === key)).toHaveLength(1)
    // job.json and the archive do not depend on where the bytes came from.
    expect(await jobFile(second, 'cached-job', 'job.json')).toEqual(firstJobJson)
    expect(second.outputs['archive-sha256']).toBe(first.outputs['archive-sha256'])
  })

  test('a poisoned entry (other bytes under the key) is caught by re-hashing, warned about, and the dataset downloaded', async () => {
    await backend.deleteEntry(key)
    const evil = Buffer.from('0,0,evil\n')
    await poisonEntry(DATASET_SHA, evil)
    const before = dataRequests()

    const r = await pack('poisoned', pinned)
    expect(r.code).toBe(0)
    expect(errors(r)).toEqual([])
    expect(dataRequests()).toBe(before + 1)
    expect(await jobFile(r, 'poisoned', 'data/train.csv')).toEqual(DATASET)
    const [rehash, notSaved, ...rest] = warnings(r).filter((w) => !w.startsWith('Failed to save'))
    expect(rehash).toBe(
      `data/train.csv: the copy in the Actions cache has sha256 ${sha256(evil)}, not the pinned ${DATASET_SHA}; it was not used, and the dataset is downloaded instead. The entry stays in the repository's Actions cache under key ${key} until it is evicted, and blocks saving the right bytes under that key: delete it (gh cache delete ${key}, or the repository's Actions → Caches page).`
    )
    // The poisoned entry holds the key, so the right bytes cannot be saved over it: said, and the pack still passes.
    expect(notSaved).toBe('data/train.csv was not saved to the Actions cache (see the message above); the next run downloads it again.')
    expect(rest).toEqual([])
    expect(r.summary).toContain(
      'downloaded (the copy in the Actions cache was not used: see the log); not saved to the Actions cache (see the log)'
    )
    await backend.deleteEntry(key)
  })

  test('a dataset without data-sha256 is not cached, and the log says why once', async () => {
    const calls = { get: cacheCalls('GetCacheEntryDownloadURL'), create: cacheCalls('CreateCacheEntry') }
    const r = await pack('unpinned', {
      'data-url': `${fx.data.url('/data/train.csv')}\n${fx.data.url('/data/train.csv?copy=2')}`
    })
    expect(r.code).toBe(0)
    const notes = r.stdout.split('\n').filter((l) => l.startsWith('Not cached:'))
    expect(notes).toEqual([
      'Not cached: data/train.csv, data/train-2.csv (no data-sha256). The dataset cache is keyed by the pinned digest, which is also what checks a restored file; without one the bytes are downloaded every time.'
    ])
    expect(cacheCalls('GetCacheEntryDownloadURL')).toBe(calls.get)
    expect(cacheCalls('CreateCacheEntry')).toBe(calls.create)
    expect(r.summary).toContain('downloaded; not cached (no data-sha256)')
  })

  test('a failed save is a warning: the job is packaged and its outputs set', async () => {
    backend.failNext('FinalizeCacheEntryUpload', 400)
    const r = await pack('save-fails', pinned)
    expect(r.code).toBe(0)
    expect(errors(r)).toEqual([])
    expect(r.outputs['job-id']).toBe('save-fails')
    expect(warnings(r)).toContain(
      'data/train.csv was not saved to the Actions cache (see the message above); the next run downloads it again.'
    )
    expect(backend.entries.filter((e) => e.key === key && e.finalized)).toHaveLength(0)
  })

  test('a failed pack caches nothing', async () => {
    const creates = cacheCalls('CreateCacheEntry')
    const r = await pack('fails', { ...pinned, 'commit-hash': 'f'.repeat(40) })
    expect(r.code).toBe(1)
    expect(cacheCalls('CreateCacheEntry')).toBe(creates)
    expect(transcript(r)).not.toContain('saved to the Actions cache')
  })

  test('dataset-cache: off and tool leave the Actions cache alone; actions without the service is a warning, not a failure', async () => {
    const calls = (): number => backend.requests.length
    const start = calls()
    const off = await pack('off', { ...pinned, 'dataset-cache': 'off' })
    expect(off.code).toBe(0)
    expect(off.stdout).toContain('Dataset cache: off (dataset-cache: off)')
    const tool = await pack('tool', { ...pinned, 'dataset-cache': 'tool' })
    expect(tool.code).toBe(0)
    expect(tool.stdout).toContain("data/train.csv: saved to the runner's tool cache")
    // The old boolean spelling still works: false is off.
    const legacy = await pack('legacy', { ...pinned, 'dataset-cache': 'false' })
    expect(legacy.code).toBe(0)
    expect(legacy.stdout).toContain('Dataset cache: off')
    // auto: the tool cache on a self-hosted runner, and on a hosted one without the cache service.
    const selfHosted = await pack('self-hosted', pinned, { RUNNER_ENVIRONMENT: 'self-hosted' })
    expect(selfHosted.stdout).toContain(
      "Dataset cache: the runner's tool cache (dataset-cache: auto, on a self-hosted (or unknown) runner)."
    )
    const noV2 = await pack('no-v2', pinned, { ACTIONS_CACHE_SERVICE_V2: undefined })
    expect(noV2.stdout).toContain(
      "Dataset cache: the runner's tool cache (dataset-cache: auto, on a GitHub-hosted runner, where the Actions cache service is not available)."
    )
    expect(calls()).toBe(start)

    const noService = await pack('no-service', { ...pinned, 'dataset-cache': 'actions' }, { ACTIONS_RESULTS_URL: undefined })
    expect(noService.code).toBe(0)
    expect(warnings(noService)).toEqual([
      'dataset-cache: actions, but the Actions cache service is not available to this step (no ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN or RUNNER_TEMP, or not the cache service v2: the dataset cache does not use the one of GitHub Enterprise Server); datasets are not cached.'
    ])

    const bad = await pack('bad', { ...pinned, 'dataset-cache': 'sometimes' })
    expect(bad.code).toBe(1)
    expect(errors(bad).join('\n')).toContain('dataset-cache')
    expect(errors(bad).join('\n')).toContain('one of auto, actions, tool, off (true means auto, false means off)')
  })

  describe('a crafted entry (more than the one file) is refused: nothing of it is written, the run warns and downloads', () => {
    const outside = (): string => path.join(root, 'outside')
    const member = (): string => actionsCacheMember(workspace(), actionsCachePath(runnerTemp(), DATASET_SHA))
    const exists = (file: string): Promise<boolean> =>
      lstat(file).then(
        () => true,
        () => false
      )

    const cases: Array<{ name: string; members: () => CraftedMember[]; planted: () => string; says: () => string }> = [
      {
        name: 'an extra absolute member',
        members: () => [
          { name: member(), file: DATASET },
          { name: path.join(outside(), 'planted-abs'), file: Buffer.from('echo pwned\n') }
        ],
        planted: () => path.join(outside(), 'planted-abs'),
        says: () => `holds a member with an absolute path, ${JSON.stringify(path.join(outside(), 'planted-abs'))}`
      },
      {
        name: 'a .. member (before the dataset)',
        members: () => [
          { name: path.relative(workspace(), path.join(outside(), 'planted-dotdot')), file: Buffer.from('echo pwned\n') },
          { name: member(), file: DATASET }
        ],
        planted: () => path.join(outside(), 'planted-dotdot'),
        says: () =>
          `holds a member with .. in its path, ${JSON.stringify(path.relative(workspace(), path.join(outside(), 'planted-dotdot')))}`
      },
      {
        name: 'a symlink member',
        members: () => [
          { name: member(), file: DATASET },
          { name: path.join(outside(), 'planted-link'), symlinkTo: '/etc/hostname' }
        ],
        planted: () => path.join(outside(), 'planted-link'),
        says: () => `holds a symbolic link, ${JSON.stringify(path.join(outside(), 'planted-link'))} (to "/etc/hostname")`
      },
      {
        name: 'a hard link member',
        members: () => [
          { name: member(), file: DATASET },
          { name: path.join(outside(), 'planted-hard'), hardLinkTo: member() }
        ],
        planted: () => path.join(outside(), 'planted-hard'),
        says: () => `holds a hard link, ${JSON.stringify(path.join(outside(), 'planted-hard'))} (to ${JSON.stringify(member())})`
      }
    ]

    test.each(cases)('$name', async ({ members, planted, says }) => {
      await rm(outside(), { recursive: true, force: true })
      await mkdir(outside(), { recursive: true })
      await craftEntry(DATASET_SHA, members())
      const before = dataRequests()

      const r = await pack('crafted', pinned)
      expect(await exists(planted())).toBe(false)
      expect(r.code).toBe(0)
      expect(errors(r)).toEqual([])
      expect(dataRequests()).toBe(before + 1)
      expect(await jobFile(r, 'crafted', 'data/train.csv')).toEqual(DATASET)
      const [refused, ...rest] = warnings(r).filter((w) => !w.startsWith('Failed to save'))
      expect(refused).toBe(
        `Did not restore data/train.csv from the Actions cache: the Actions cache entry ${key} ${says()}, not only the one file ${JSON.stringify(member())}; none of it was used; downloading it instead.`
      )
      // The crafted entry holds the key: the right bytes cannot be saved over it (said, as for any other entry).
      expect(rest).toEqual(['data/train.csv was not saved to the Actions cache (see the message above); the next run downloads it again.'])
      expect(r.summary).toContain('downloaded (the copy in the Actions cache was not used: see the log)')
      // The restore's private folder (archive, extracted file) is gone.
      expect((await listTree(runnerTemp())).filter((f) => f.startsWith('job-packager-cache-'))).toEqual([])
      await backend.deleteEntry(key)
    })
  })

  describe("the runner's tool cache: an entry that is not a regular file is refused without blocking or following it", () => {
    const toolCache = (): string => path.join(root, 'tool-cache')
    const entryDir = (): string => path.join(toolCache(), 'job-packager-dataset', `0.0.0-sha256-${DATASET_SHA}`, 'noarch')
    const entry = (): string => path.join(entryDir(), 'dataset')

    /** A tool cache holding the dataset's entry as `make` leaves it, marked complete as @actions/tool-cache marks it. */
    async function toolCacheWith(make: () => Promise<void>): Promise<void> {
      await rm(toolCache(), { recursive: true, force: true })
      await mkdir(path.dirname(entryDir()), { recursive: true })
      await make()
      await writeFile(`${entryDir()}.complete`, '')
    }

    const packFromToolCache = async (jobId: string): Promise<RunActionResult> => {
      const before = dataRequests()
      const r = await pack(jobId, { ...pinned, 'dataset-cache': 'tool' }, { RUNNER_TOOL_CACHE: toolCache() })
      expect(r.code).toBe(0)
      expect(errors(r)).toEqual([])
      expect(dataRequests()).toBe(before + 1)
      expect(await jobFile(r, jobId, 'data/train.csv')).toEqual(DATASET)
      return r
    }
    const refusal = (what: string): string =>
      `Did not restore data/train.csv from the runner's tool cache: the entry ${entry()} ${what}; downloading it instead.`

    test('a FIFO', async () => {
      await toolCacheWith(async () => {
        await mkdir(entryDir())
        await run('mkfifo', [entry()])
      })
      const r = await packFromToolCache('tool-fifo')
      expect(warnings(r)).toEqual([refusal('is a FIFO (named pipe), not a regular file')])
      expect(r.summary).toContain(
        'downloaded (the copy in the runner&#39;s tool cache was not used: see the log); saved to the runner&#39;s tool cache'
      )
    })

    test('a symbolic link: its target is not read, and its hash not logged', async () => {
      const secret = path.join(root, 'secret-for-tool-cache')
      await writeFile(secret, 'secret bytes\n', { mode: 0o600 })
      await toolCacheWith(async () => {
        await mkdir(entryDir())
        await symlink(secret, entry())
      })
      const r = await packFromToolCache('tool-link')
      expect(warnings(r)).toEqual([refusal('is a symbolic link, not a regular file')])
      expect(transcript(r)).not.toContain(sha256('secret bytes\n'))
    })

    test('a folder on the way that is a symbolic link, even to the right bytes', async () => {
      const elsewhere = path.join(root, 'elsewhere')
      await rm(elsewhere, { recursive: true, force: true })
      await mkdir(elsewhere)
      await writeFile(path.join(elsewhere, 'dataset'), DATASET)
      await toolCacheWith(() => symlink(elsewhere, entryDir()))
      const r = await packFromToolCache('tool-dir-link')
      expect(warnings(r)).toEqual([refusal('is reached through a symbolic link, which leads out of the cache')])
    })
  })
})
