/**
 * Git LFS end to end with real parts: a repository with LFS pointers served
 * by git http-backend over HTTPS, the batch API and objects served by the LFS
 * fixture (lfs-server.ts) with the same throwaway CA, the real git-lfs for
 * the checkout, and the archive read back with GNU tar.
 *
 * The network cases run the CLI from the sources (tsx) in a child process:
 * Node reads NODE_EXTRA_CA_CERTS only at start-up, so only a fresh process
 * can trust the test CA (the servers stay in this process, which is why the
 * child is spawned asynchronously). Cases that never reach an LFS server run
 * in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdir, readFile, symlink } from 'node:fs/promises'
import path from 'node:path'
import { GitError, LimitError, packJob, silentLogger, type Logger, type PackOptions } from '../../src/core/index.js'
import { REPO_ROOT } from '../helpers/cli.js'
import { commitGitlinks, gitmodulesText, makeBareClone, makeRepo, run, startGitServer, type GitServer } from '../helpers/git-server.js'
import { createLfsStore, startLfsServer, type LfsServer, type LfsStore } from '../helpers/lfs-server.js'
import { gnuTarExtract, listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let plain: GitServer
let gitStore: LfsStore
let other: LfsServer
let n = 0
const out = () => path.join(root.dir, `out-${++n}`)
const TOKEN = 'lfs-test-token-5f2c9a'

// Deterministic contents, big enough to be real weights in miniature.
const WEIGHTS = Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 31 + 7) % 251))
const SAMPLE = Buffer.from('id,value\n1,0.5\n2,0.25\n')
const BAD = Buffer.from('the object the pointer names\n')

interface Served {
  name: string
  commit: string
}
const repos: Record<string, Served> = {}

async function serveRepo(name: string, files: Record<string, string>): Promise<Served> {
  const src = path.join(root.dir, 'src', name)
  const { commit } = await makeRepo(src, files)
  await makeBareClone(src, path.join(root.dir, 'served'), `${name}.git`)
  return { name, commit }
}

beforeAll(async () => {
  root = await tempDir()
  await mkdir(path.join(root.dir, 'served'), { recursive: true })
  gitStore = createLfsStore('https')
  other = await startLfsServer()
  const weights = gitStore.add(WEIGHTS)
  const sample = gitStore.add(SAMPLE)
  other.store.add(WEIGHTS)
  const bad = gitStore.add(BAD)
  // Same size, other bytes: only the sha256 check can tell.
  gitStore.corrupt(bad.oid, Buffer.from(BAD.toString().toUpperCase()))
  const attributes = '*.bin filter=lfs diff=lfs merge=lfs -text\n'
  repos.derived = await serveRepo('derived', {
    '.gitattributes': attributes,
    'weights.bin': weights.pointer,
    'copy-of-weights.bin': weights.pointer,
    'data/sample.bin': sample.pointer,
    'notes.txt': sample.pointer,
    'train.py': 'print("train")\n'
  })
  repos.other = await serveRepo('other', {
    '.gitattributes': attributes,
    '.lfsconfig': `[lfs]\n\turl = ${other.endpoint}\n`,
    'weights.bin': weights.pointer
  })
  repos.wrong = await serveRepo('wrong', { '.gitattributes': attributes, 'model.bin': bad.pointer })
  // A pointer whose object the server does not have.
  const missing = createLfsStore().add('never uploaded\n')
  repos.missing = await serveRepo('missing', { '.gitattributes': attributes, 'lost.bin': missing.pointer })
  // LFS weights at the top level and a submodule with LFS files of its own (issue 11's "done when").
  repos.lib = await serveRepo('lib', { '.gitattributes': attributes, 'model.bin': sample.pointer, 'lib.py': 'X = 1\n' })
  const comboSrc = path.join(root.dir, 'src', 'combo')
  await makeRepo(comboSrc, { '.gitattributes': attributes, 'weights.bin': weights.pointer, 'train.py': 'print("train")\n' })
  const comboCommit = await commitGitlinks(comboSrc, { lib: repos.lib.commit }, gitmodulesText({ lib: '../lib.git' }))
  await makeBareClone(comboSrc, path.join(root.dir, 'served'), 'combo.git')
  repos.combo = { name: 'combo', commit: comboCommit }
  git = await startGitServer({ root: path.join(root.dir, 'served'), https: true, handle: (req, res) => gitStore.handle(req, res) })
  plain = await startGitServer({ root: path.join(root.dir, 'served') })
}, 60_000)

afterAll(async () => {
  await git?.close()
  await plain?.close()
  await other?.close()
  await root?.cleanup()
})

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  json: Record<string, unknown>
}

/** The CLI from the sources, trusting the test CA (git through GIT_SSL_CAINFO, Node through NODE_EXTRA_CA_CERTS). */
function pack(repo: Served, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const cliArgs = [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'src', 'cli', 'index.ts'),
    'pack',
    '--git-url',
    git.url(`${repo.name}.git`),
    '--commit-hash',
    repo.commit,
    '--command',
    'python train.py',
    '--allow-private-network',
    '--attempts',
    '1',
    '--progress',
    'off',
    '--json',
    ...args
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs, {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LANG: 'C.UTF-8',
        GIT_SSL_CAINFO: git.caFile,
        NODE_EXTRA_CA_CERTS: git.caFile,
        ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => {
      let json: Record<string, unknown> = {}
      try {
        json = JSON.parse(stdout) as Record<string, unknown>
      } catch {
        // Left empty: the assertions on code and stderr say what happened.
      }
      resolve({ code, stdout, stderr, json })
    })
  })
}

async function unpacked(archivePath: string): Promise<string> {
  const dest = path.join(root.dir, `unpack-${++n}`)
  await mkdir(dest)
  await gnuTarExtract(archivePath, dest)
  const [top] = await listAll(dest)
  return path.join(dest, top!)
}

describe('Git LFS objects and submodules together', () => {
  it('packs the real weights and the submodule with its own LFS file, read back from the unpacked archive', async () => {
    const dir = out()
    const res = await pack(repos.combo!, ['--out', dir, '--submodules', 'true'])
    expect(res.code).toBe(0)
    const pkg = await unpacked(res.json.archive_path as string)
    expect((await readFile(path.join(pkg, 'code', 'weights.bin'))).equals(WEIGHTS)).toBe(true)
    expect(await readFile(path.join(pkg, 'code', 'lib', 'lib.py'), 'utf8')).toBe('X = 1\n')
    expect((await readFile(path.join(pkg, 'code', 'lib', 'model.bin'))).equals(SAMPLE)).toBe(true)
    const manifest = JSON.parse(await readFile(path.join(pkg, 'job.json'), 'utf8')) as {
      source: {
        lfs: { fetched: boolean; objects: Array<{ path: string }> }
        submodules: Array<{
          path: string
          included: boolean
          lfs?: { fetched: boolean; endpoint: string; objects: Array<{ path: string }> }
        }>
      }
      warnings: string[]
    }
    expect(manifest.source.lfs).toMatchObject({ fetched: true, objects: [{ path: 'weights.bin' }] })
    expect(manifest.source.submodules).toMatchObject([
      { path: 'lib', included: true, lfs: { fetched: true, endpoint: `${git.url('lib.git')}/info/lfs`, objects: [{ path: 'model.bin' }] } }
    ])
    expect(manifest.warnings).toEqual([])
  })

  it('with both off, job.json, the log and the output say exactly what was left out', async () => {
    const dir = out()
    const res = await pack(repos.combo!, ['--out', dir, '--lfs', 'false'])
    expect(res.code).toBe(0)
    const pkg = await unpacked(res.json.archive_path as string)
    expect(await readFile(path.join(pkg, 'code', 'weights.bin'), 'utf8')).toMatch(/^version https:\/\/git-lfs/)
    expect(await listAll(path.join(pkg, 'code', 'lib'))).toEqual([])
    const manifest = JSON.parse(await readFile(path.join(pkg, 'job.json'), 'utf8')) as { warnings: string[] }
    expect(manifest.warnings).toHaveLength(2)
    expect(manifest.warnings[0]).toMatch(
      /^Git LFS is off \(--lfs false\): 1 LFS file\(s\) are packaged as pointer files, without their .* of content: "weights\.bin"\.$/
    )
    expect(manifest.warnings[1]).toMatch(
      /^Submodule lib \(".*lib\.git" at [0-9a-f]{40}\) was left empty: --submodules is false \(to include it: --submodules true\)\.$/
    )
    for (const w of manifest.warnings) expect(res.stderr).toContain(w)
    expect(res.json.warnings).toEqual(manifest.warnings)
  })
})

describe('Git LFS objects', () => {
  it('fetches the objects from the derived endpoint, verifies them and packages the real bytes', async () => {
    const before = gitStore.requests.length
    const dir = out()
    const res = await pack(repos.derived!, ['--out', dir, '--token-origin', git.origin], { JOB_PACKAGER_TOKEN: TOKEN })
    expect(res.stderr).not.toContain(TOKEN)
    expect(res.code).toBe(0)
    const pkg = await unpacked(res.json.archive_path as string)
    expect((await readFile(path.join(pkg, 'code', 'weights.bin'))).equals(WEIGHTS)).toBe(true)
    expect((await readFile(path.join(pkg, 'code', 'copy-of-weights.bin'))).equals(WEIGHTS)).toBe(true)
    expect((await readFile(path.join(pkg, 'code', 'data', 'sample.bin'))).equals(SAMPLE)).toBe(true)
    // A pointer-looking file that .gitattributes does not mark stays as it is, and that is said.
    expect(await readFile(path.join(pkg, 'code', 'notes.txt'), 'utf8')).toMatch(/^version https:\/\/git-lfs/)
    const manifest = JSON.parse(await readFile(path.join(pkg, 'job.json'), 'utf8')) as {
      source: { lfs: { fetched: boolean; endpoint: string; objects: Array<{ path: string; oid: string; size: number }> } }
      warnings: string[]
    }
    expect(manifest.source.lfs.fetched).toBe(true)
    expect(manifest.source.lfs.endpoint).toBe(`${git.url('derived.git')}/info/lfs`)
    expect(manifest.source.lfs.objects.map((o) => [o.path, o.size]).sort()).toEqual(
      [
        ['copy-of-weights.bin', WEIGHTS.length],
        ['data/sample.bin', SAMPLE.length],
        ['weights.bin', WEIGHTS.length]
      ].sort()
    )
    expect(manifest.warnings).toEqual([expect.stringMatching(/1 file\(s\) look like Git LFS pointers .*"notes\.txt"/)])
    expect(res.stderr).toMatch(/notes\.txt/)
    // One batch request with the token (the endpoint is on the token origin), one GET per distinct object.
    const mine = gitStore.requests.slice(before)
    expect(mine.filter((r) => r.method === 'POST').map((r) => r.oids?.length)).toEqual([2])
    expect(mine.filter((r) => r.method === 'GET')).toHaveLength(2)
    expect(mine.every((r) => r.authorization === `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`)).toBe(true)
    // git-lfs itself never went to the network: every request came from our client.
    expect(mine.every((r) => r.userAgent === 'job-packager')).toBe(true)
    // The real bytes are in the content digest: the same commit with the pointers gives another one.
    const pointers = await pack(repos.derived!, ['--out', out(), '--lfs', 'false'])
    expect(pointers.code).toBe(0)
    expect(pointers.json.content_digest).not.toBe(res.json.content_digest)
  })

  it('sends no token to an LFS endpoint on another origin (lfs.url in .lfsconfig)', async () => {
    const before = other.store.requests.length
    const res = await pack(repos.other!, ['--out', out(), '--token-origin', git.origin], { JOB_PACKAGER_TOKEN: TOKEN })
    expect(res.code).toBe(0)
    expect(res.stderr).toMatch(/The token is not sent to the Git LFS endpoint https:\/\/127\.0\.0\.1:\d+/)
    const mine = other.store.requests.slice(before)
    expect(mine.map((r) => r.method).sort()).toEqual(['GET', 'POST'])
    expect(mine.map((r) => r.authorization)).toEqual([undefined, undefined])
    const pkg = await unpacked(res.json.archive_path as string)
    expect((await readFile(path.join(pkg, 'code', 'weights.bin'))).equals(WEIGHTS)).toBe(true)
  })

  it('sends no token to download URLs the batch answer puts on another origin', async () => {
    const hrefs = await startLfsServer()
    hrefs.store.add(WEIGHTS)
    hrefs.store.add(SAMPLE)
    gitStore.hrefOrigin = hrefs.origin
    try {
      const before = gitStore.requests.length
      const res = await pack(repos.derived!, ['--out', out(), '--token-origin', git.origin], { JOB_PACKAGER_TOKEN: TOKEN })
      expect(res.code).toBe(0)
      // The batch request went to the token origin, with the token; the objects came from the other origin, without it.
      const batch = gitStore.requests.slice(before)
      expect(batch.map((r) => [r.method, r.authorization !== undefined])).toEqual([['POST', true]])
      expect(hrefs.store.requests.map((r) => [r.method, r.authorization])).toEqual([
        ['GET', undefined],
        ['GET', undefined]
      ])
      const pkg = await unpacked(res.json.archive_path as string)
      expect((await readFile(path.join(pkg, 'code', 'weights.bin'))).equals(WEIGHTS)).toBe(true)
    } finally {
      delete gitStore.hrefOrigin
      await hrefs.close()
    }
  })

  it('names the file whose object the LFS server does not have', async () => {
    const dir = out()
    const res = await pack(repos.missing!, ['--out', dir])
    expect(res.code).not.toBe(0)
    expect(res.stdout).toMatch(/The Git LFS server has no object for code\/lost\.bin \(oid [0-9a-f]{64}\): 404 Object does not exist/)
    expect(await listAll(dir)).toEqual([])
  })

  it('refuses an object whose bytes do not match its oid, and leaves nothing behind', async () => {
    const dir = out()
    const res = await pack(repos.wrong!, ['--out', dir])
    expect(res.code).not.toBe(0)
    expect(res.stdout).toMatch(/sha256 mismatch/)
    expect(res.stdout).toMatch(/did not send the object the LFS pointer names/)
    expect(await listAll(dir)).toEqual([])
  })
})

describe('Git LFS without reaching an LFS server', () => {
  const loopback: PackOptions = { allowProtocols: ['https', 'http'], allowPrivateNetwork: true, attempts: 1, retryDelayMs: 10 }

  it('refuses before any object is downloaded when the pointers promise more than max-checkout-bytes', async () => {
    const before = gitStore.requests.length
    const dir = out()
    const err = await packJob(
      { git_url: plain.url('derived.git'), commit_hash: repos.derived!.commit, command: 'true' },
      { ...loopback, outDir: dir, maxCheckoutBytes: 500 * 1024 }
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LimitError)
    expect((err as Error).message).toMatch(
      /Git LFS object\(s\) would hold \d+ bytes .* more than the limit of 512000 \(maxCheckoutBytes\); nothing was downloaded/
    )
    expect(gitStore.requests.length).toBe(before)
    expect(await listAll(dir)).toEqual([])
  })

  it('lfs false keeps the pointers and says so in the log and job.json', async () => {
    const warnings: string[] = []
    const logger: Logger = { ...silentLogger, warn: (m) => void warnings.push(m) }
    const result = await packJob(
      { git_url: plain.url('derived.git'), commit_hash: repos.derived!.commit, command: 'true', lfs: false },
      { ...loopback, outDir: out(), logger }
    )
    expect(await readFile(path.join(result.jobDir, 'code', 'weights.bin'), 'utf8')).toMatch(/^version https:\/\/git-lfs/)
    expect(result.manifest.source.lfs).toEqual({ fetched: false, objects: expect.any(Array) as unknown })
    expect(result.manifest.source.lfs?.objects).toHaveLength(3)
    const kept = expect.stringMatching(/^Git LFS is off \(lfs: false\): 3 LFS file\(s\) are packaged as pointer files/)
    expect(result.warnings).toContainEqual(kept)
    expect(warnings).toContainEqual(kept)
    const manifest = JSON.parse(await readFile(path.join(result.jobDir, 'job.json'), 'utf8')) as { warnings: string[] }
    expect(manifest.warnings).toEqual(result.warnings)
  })
})

describe('Git LFS endpoints refused before any request', () => {
  // A local repository: git needs no network, so whatever is refused below is refused by the LFS checks.
  const local = async (name: string, files: Record<string, string>): Promise<{ url: string; commit: string }> => {
    const dir = path.join(root.dir, 'local', name)
    const { commit } = await makeRepo(dir, {
      '.gitattributes': '*.bin filter=lfs -text\n',
      'model.bin': gitStore.add(SAMPLE).pointer,
      ...files
    })
    return { url: `file://${dir}`, commit }
  }
  const attempt = async (repo: { url: string; commit: string }, options: PackOptions): Promise<unknown> =>
    packJob({ git_url: repo.url, commit_hash: repo.commit, command: 'true' }, { attempts: 1, outDir: out(), ...options }).catch(
      (e: unknown) => e
    )

  it('refuses credentials in lfs.url', async () => {
    const repo = await local('creds', { '.lfsconfig': '[lfs]\n\turl = https://user:secret@127.0.0.1:9/lfs\n' })
    const err = await attempt(repo, { allowProtocols: ['file'], allowPrivateNetwork: true })
    expect(err).toBeInstanceOf(GitError)
    expect((err as Error).message).toMatch(/credentials in a URL are not accepted/)
    expect((err as Error).message).not.toContain('secret')
  })

  it('refuses an http endpoint unless http is allowed, naming the option', async () => {
    const repo = await local('http', { '.lfsconfig': '[lfs]\n\turl = http://127.0.0.1:9/lfs\n' })
    const err = await attempt(repo, { allowProtocols: ['file'], allowPrivateNetwork: true })
    expect((err as Error).message).toMatch(
      /^Refused the Git LFS endpoint http:\/\/127\.0\.0\.1:9\/lfs: only https is allowed \(http too: allowProtocols: https,http\)/
    )
  })

  it('refuses an endpoint on a private address unless the private network is allowed', async () => {
    const repo = await local('private', { '.lfsconfig': '[lfs]\n\turl = https://127.0.0.1:9/lfs\n' })
    const err = await attempt(repo, { allowProtocols: ['file'], allowPrivateNetwork: false })
    expect((err as Error).message).toMatch(/^Refused to connect to 127\.0\.0\.1 \(127\.0\.0\.1\) for the Git LFS endpoint/)
  })

  it('refuses an .lfsconfig endpoint on the cloud metadata address, even with http allowed', async () => {
    const repo = await local('metadata', { '.lfsconfig': '[lfs]\n\turl = http://169.254.169.254/lfs\n' })
    const err = await attempt(repo, { allowProtocols: ['file', 'http'], allowPrivateNetwork: false })
    expect((err as Error).message).toMatch(/^Refused to connect to 169\.254\.169\.254 \(169\.254\.169\.254\) for the Git LFS endpoint/)
  })

  it('says that a local repository has no LFS endpoint unless .lfsconfig names one', async () => {
    const repo = await local('no-endpoint', {})
    const err = await attempt(repo, { allowProtocols: ['file'] })
    expect((err as Error).message).toMatch(/no LFS endpoint can be derived from a file git_url .* lfs: false/)
  })

  it('fails clearly when lfs is true and git-lfs is not installed', async () => {
    const repo = await local('no-git-lfs', {})
    // A PATH with git but without git-lfs (git looks for git-lfs in its exec path and on PATH).
    const bin = path.join(root.dir, 'bin-without-lfs')
    await mkdir(bin, { recursive: true })
    const gitPath = (await run('sh', ['-c', 'command -v git'])).stdout.trim()
    await symlink(gitPath, path.join(bin, 'git'))
    const saved = process.env.PATH
    process.env.PATH = bin
    let err: unknown
    try {
      err = await attempt(repo, { allowProtocols: ['file'], lfs: 'true' })
    } finally {
      process.env.PATH = saved
    }
    expect(err).toBeInstanceOf(GitError)
    expect((err as Error).message).toMatch(
      /^git-lfs is needed \(lfs is true\) but `git lfs` does not run on this machine .*Install git-lfs on the runner/
    )
  })
})
