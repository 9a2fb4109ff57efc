/**
 * Hostile repositories, hostile specs and faults, end to end through packJob
 * against real repositories served by `git http-backend` on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, readdir, rm, statfs, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { asDiskFull } from '../../src/core/fs/disk-full.js'
import { GitCommandManager } from '../../src/core/git/git-command-manager.js'
import {
  DiskFullError,
  GitError,
  LimitError,
  OutputError,
  packJob,
  Redactor,
  silentLogger,
  UnsafeContentError,
  type PackOptions
} from '../../src/core/index.js'
import type { Manifest } from '../../src/core/render/manifest.js'
import { largeStream, serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import { commitFiles, makeBareClone, makeRepo, run, startGitServer, type FileTree, type GitServer } from '../helpers/git-server.js'
import { gnuTarExtract, gnuTarList, listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let data: DataServer
let n = 0
const loopback: PackOptions = { allowProtocols: ['https', 'http'], allowPrivateNetwork: true, retryDelayMs: 10 }

beforeAll(async () => {
  root = await tempDir()
  await mkdir(path.join(root.dir, 'served'), { recursive: true })
  git = await startGitServer({ root: path.join(root.dir, 'served') })
  data = await startDataServer()
  data.route('/d.csv', serveBuffer('x\n'))
})
afterAll(async () => {
  await Promise.all([git?.close(), data?.close()])
  await root?.cleanup()
})

/** Serves a new repository holding `files` and returns its URL and commit. */
async function serve(files: FileTree): Promise<{ url: string; commit: string }> {
  const name = `repo-${++n}`
  const { commit } = await makeRepo(path.join(root.dir, 'src', name), files)
  await makeBareClone(path.join(root.dir, 'src', name), path.join(root.dir, 'served'), `${name}.git`)
  return { url: git.url(`${name}.git`), commit }
}

const out = () => path.join(root.dir, `out-${++n}`)

describe('hostile repositories', () => {
  it('stops a fetch that receives more than max-fetch-bytes, also when a short SHA forces the full history', async () => {
    const name = `repo-${++n}`
    const src = path.join(root.dir, 'src', name)
    const { commit } = await makeRepo(src, { 'a.txt': 'a\n' })
    // A side branch holds 3 MiB that does not compress; the commit asked for is tiny.
    await run('git', ['checkout', '-q', '-b', 'side'], { cwd: src })
    await commitFiles(src, { 'big.bin': randomBytes(3 * 1024 * 1024) }, 'big')
    await run('git', ['checkout', '-q', 'main'], { cwd: src })
    // Not a branch tip, so the short SHA can only be found in history.
    await commitFiles(src, { 'b.txt': 'b\n' }, 'after')
    await makeBareClone(src, path.join(root.dir, 'served'), `${name}.git`)
    const url = git.url(`${name}.git`)
    const dir = out()
    const short = await packJob(
      { git_url: url, commit_hash: commit.slice(0, 8), command: 'true' },
      { ...loopback, outDir: dir, maxFetchBytes: 1024 * 1024 }
    ).catch((e: unknown) => e)
    expect(short).toBeInstanceOf(LimitError)
    expect((short as Error).message).toMatch(/more than 1048576 bytes, the limit \(maxFetchBytes\)/)
    expect(await listAll(dir)).toEqual([])
    // The big commit itself, fetched by id.
    const big = (await run('git', ['rev-parse', 'side'], { cwd: src })).stdout.trim()
    const direct = await packJob(
      { git_url: url, commit_hash: big, command: 'true' },
      { ...loopback, outDir: out(), maxFetchBytes: 1024 * 1024 }
    ).catch((e: unknown) => e)
    expect(direct).toBeInstanceOf(LimitError)
  })

  it('counts the whole tree: a big file listed first, then thousands of small ones, cannot pass the checkout limits', async () => {
    // ls-tree lists "a-big" first; 5,000 one-byte files after it print far more than the 256 KiB tail that used to be parsed.
    const files: FileTree = { 'a-big.bin': Buffer.alloc(2 * 1024 * 1024, 7) }
    for (let i = 0; i < 5000; i++) files[`z/${String(i).padStart(5, '0')}`] = 'x'
    const repo = await serve(files)
    const spec = { git_url: repo.url, commit_hash: repo.commit, command: 'true' }
    const bytesOut = out()
    const bytes = await packJob(spec, { ...loopback, outDir: bytesOut, maxCheckoutBytes: 1024 * 1024 }).catch((e: unknown) => e)
    expect(bytes).toBeInstanceOf(LimitError)
    expect((bytes as Error).message).toMatch(/more than 1048576 bytes, the limit \(maxCheckoutBytes\)/)
    expect(await listAll(bytesOut)).toEqual([])
    const filesOut = out()
    const count = await packJob(spec, { ...loopback, outDir: filesOut, maxCheckoutFiles: 5000 }).catch((e: unknown) => e)
    expect(count).toBeInstanceOf(LimitError)
    expect((count as Error).message).toMatch(/more than 5000 files, the limit \(maxCheckoutFiles\)/)
    expect(await listAll(filesOut)).toEqual([])
  })

  it.each([
    [
      'an absolute symlink',
      { 'etc-link': { symlink: '/etc/passwd' } },
      /^code\/etc-link is a symlink to the absolute path "\/etc\/passwd"/
    ],
    ['a climbing symlink', { 'deep/up': { symlink: '../../../../etc/shadow' } }, /^code\/deep\/up is a symlink to .* points outside/],
    [
      'a symlink named like a generated file',
      { Dockerfile: { symlink: '../../Dockerfile' } },
      /^code\/Dockerfile is a symlink .* points outside/
    ],
    ['a symlink named run.sh out of the job', { 'run.sh': { symlink: '../../run.sh' } }, /^code\/run\.sh is a symlink .* points outside/],
    ['a loop of symlinks', { a: { symlink: 'b' }, b: { symlink: 'a' } }, /^code\/a is a symlink that leads into a loop of symlinks/],
    [
      'a symlink out of the job through a link to the root',
      { 'sub/root': { symlink: '../..' }, 'sub/out': { symlink: 'root/../x' } },
      /^code\/sub\/out is a symlink to "root\/\.\.\/x", which points outside the package once code\/sub\/root \(-> "\.\.\/\.\."\) is followed/
    ]
  ])('refuses %s, names the path and leaves nothing', async (_what, files, message) => {
    const repo = await serve({ 'ok.txt': 'ok\n', ...(files as FileTree) })
    const dir = out()
    const err = await packJob({ git_url: repo.url, commit_hash: repo.commit, command: 'true' }, { ...loopback, outDir: dir }).catch(
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(UnsafeContentError)
    expect((err as Error).message).toMatch(message)
    expect(await listAll(dir)).toEqual([])
  })

  it('packages symlinks that stay inside, including dangling ones, without following them', async () => {
    const repo = await serve({
      'a.txt': 'a\n',
      'link-a': { symlink: 'a.txt' },
      'sub/up': { symlink: '../a.txt' },
      dangling: { symlink: 'missing.txt' },
      'job.json': { symlink: 'a.txt' }
    })
    const result = await packJob(
      { git_url: repo.url, commit_hash: repo.commit, command: 'cat link-a sub/up' },
      { ...loopback, outDir: out() }
    )
    const listing = await gnuTarList(result.archivePath)
    expect(listing).toEqual(
      expect.arrayContaining([
        `${result.jobId}/code/dangling`,
        `${result.jobId}/code/link-a`,
        `${result.jobId}/code/job.json`,
        `${result.jobId}/job.json`
      ])
    )
    expect((await run('sh', [path.join(result.jobDir, 'run.sh')])).stdout).toBe('a\na\n')
    // The real manifest was written by us, not through the repository's job.json link.
    expect((JSON.parse(await readFile(path.join(result.jobDir, 'job.json'), 'utf8')) as Manifest).job_id).toBe(result.jobId)
  })

  describe('symlinks that escape only through each other', () => {
    const deep = Array.from({ length: 20 }, (_, i) => `d${i + 1}`).join('/')
    const ups = (k: number) => Array<string>(k).fill('..').join('/')
    // Each is inside on its own: `up` is the repository's root, and `esc` is lexically d1/…/d20/etc/passwd.
    const chain: FileTree = {
      'ok.txt': 'ok\n',
      [`${deep}/up`]: { symlink: ups(20) },
      [`${deep}/esc`]: { symlink: `up/${ups(21)}/etc/passwd` }
    }

    it('are refused, naming the path, and nothing is left', async () => {
      const repo = await serve(chain)
      const passwd = await readFile('/etc/passwd', 'utf8')
      // The fixture really escapes: in a plain checkout, the kernel reads the host's file through it.
      expect(await readFile(path.join(root.dir, 'src', `repo-${n}`, deep, 'esc'), 'utf8')).toBe(passwd)
      const dir = out()
      const result = await packJob(
        { git_url: repo.url, commit_hash: repo.commit, command: 'cat "$(dirname "$0")"/code/d1/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/esc' },
        { ...loopback, outDir: dir }
      ).catch((e: unknown) => e)
      if (!(result instanceof Error)) {
        // Only reached without the check: show what the package gives away, in the job folder and unpacked.
        const { jobDir, archivePath, jobId } = result as { jobDir: string; archivePath: string; jobId: string }
        const unpacked = path.join(root.dir, `unpack-${++n}`)
        await mkdir(unpacked)
        await gnuTarExtract(archivePath, unpacked)
        expect({
          jobFolder: (await run('cat', [path.join(jobDir, 'code', deep, 'esc')], { allowFailure: true })).stdout,
          unpacked: (await run('cat', [path.join(unpacked, jobId, 'code', deep, 'esc')], { allowFailure: true })).stdout
        }).toEqual({ jobFolder: '(refused)', unpacked: '(refused)' })
      }
      expect(result).toBeInstanceOf(UnsafeContentError)
      expect((result as Error).message).toBe(
        `code/${deep}/esc is a symlink to "up/${ups(21)}/etc/passwd", which points outside the package once code/${deep}/up (-> "${ups(20)}") is followed; symlinks must stay inside it.`
      )
      expect(await listAll(dir)).toEqual([])
    })

    it('that stay inside are packaged, and work in the job folder and after tar -xzf', async () => {
      const repo = await serve({
        'docs/v2/README.md': 'readme v2\n',
        'docs/latest': { symlink: 'v2' },
        readme: { symlink: 'docs/latest/README.md' },
        [`${deep}/up`]: { symlink: ups(20) },
        [`${deep}/via-up`]: { symlink: `up/docs/latest/../latest/README.md` },
        [`${deep}/to-run-sh`]: { symlink: `up/../run.sh` }
      })
      const result = await packJob(
        { git_url: repo.url, commit_hash: repo.commit, command: `cat readme ${deep}/via-up; head -c 9 ${deep}/to-run-sh` },
        { ...loopback, outDir: out() }
      )
      expect((await run('sh', [path.join(result.jobDir, 'run.sh')])).stdout).toBe('readme v2\nreadme v2\n#!/bin/sh')
      const unpacked = path.join(root.dir, `unpack-${++n}`)
      await mkdir(unpacked)
      await gnuTarExtract(result.archivePath, unpacked)
      expect((await run('sh', [path.join(unpacked, result.jobId, 'run.sh')])).stdout).toBe('readme v2\nreadme v2\n#!/bin/sh')
    })
  })

  it('clamps a commit time past the year 9999 to 9999-12-31T23:59:59Z, says so, and the archive reads back', async () => {
    for (const seconds of ['253402300800', '99999999999999']) {
      const name = `future-${++n}`
      const src = path.join(root.dir, 'src', name)
      await mkdir(src, { recursive: true })
      await run('git', ['init', '-q', '-b', 'main', '.'], { cwd: src })
      const who = 'Future <future@example.invalid>'
      await run('git', ['fast-import', '--quiet', '--date-format=raw'], {
        cwd: src,
        input: `commit refs/heads/main\nauthor ${who} ${seconds} +0000\ncommitter ${who} ${seconds} +0000\ndata 7\nfuture\nM 100644 inline a.txt\ndata 2\na\n\n`
      })
      const commit = (await run('git', ['rev-parse', 'main'], { cwd: src })).stdout.trim()
      await makeBareClone(src, path.join(root.dir, 'served'), `${name}.git`)
      const warnings: string[] = []
      const result = await packJob(
        { git_url: git.url(`${name}.git`), commit_hash: commit, command: 'true' },
        { ...loopback, outDir: out(), logger: { ...silentLogger, warn: (m) => warnings.push(m) } }
      )
      expect(result.commitTime).toBe('9999-12-31T23:59:59.000Z')
      expect(warnings).toContainEqual(
        expect.stringMatching(
          new RegExp(`committer time \\(${seconds} s since 1970\\) cannot be recorded; the package uses 9999-12-31T23:59:59.000Z`)
        )
      )
      expect(await readFile(path.join(result.jobDir, 'Dockerfile'), 'utf8')).toContain(
        'org.opencontainers.image.created="9999-12-31T23:59:59.000Z"'
      )
      const listing = (await run('tar', ['--utc', '-tvzf', result.archivePath])).stdout.trim().split('\n')
      expect(listing.every((line) => line.includes(' 9999-12-31 23:59 '))).toBe(true)
    }
  })

  it('never fetches submodules (even ext:: or local ones) or LFS objects', async () => {
    const marker = path.join(root.dir, 'pwned')
    const repo = await serve({
      '.gitmodules': `[submodule "evil"]\n\tpath = evil\n\turl = ext::sh -c touch% ${marker}\n[submodule "local"]\n\tpath = local\n\turl = /etc\n`,
      '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
      '.lfsconfig': '[lfs]\n\turl = http://169.254.169.254/lfs\n',
      'model.bin':
        'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n'
    })
    // lfs false: with it on, the .lfsconfig endpoint is refused instead (integration/lfs.test.ts).
    const result = await packJob(
      { git_url: repo.url, commit_hash: repo.commit, command: 'true' },
      { ...loopback, outDir: out(), lfs: 'false' }
    )
    expect(await listAll(marker)).toEqual([])
    expect(await readFile(path.join(result.jobDir, 'code', 'model.bin'), 'utf8')).toMatch(/^version https:\/\/git-lfs/)
    expect(result.warnings).toContainEqual(expect.stringMatching(/^Git LFS is off/))
    expect(await listAll(path.join(result.jobDir, 'code'))).not.toContain('evil')
  })

  it('packages file names with newlines, unicode and long paths, and GNU tar unpacks them', async () => {
    const long = `${'d'.repeat(100)}/${'e'.repeat(100)}/${'f'.repeat(120)}.txt`
    const repo = await serve({ 'new\nline.txt': 'nl\n', 'ünïcødé/文件.txt': 'u\n', [long]: 'long\n', 'sp ace.txt': 's\n' })
    const result = await packJob({ git_url: repo.url, commit_hash: repo.commit, command: 'true' }, { ...loopback, outDir: out() })
    const dest = path.join(root.dir, `unpack-${n}`)
    await mkdir(dest)
    await gnuTarExtract(result.archivePath, dest)
    const code = path.join(dest, result.jobId, 'code')
    expect(await readFile(path.join(code, 'new\nline.txt'), 'utf8')).toBe('nl\n')
    expect(await readFile(path.join(code, 'ünïcødé', '文件.txt'), 'utf8')).toBe('u\n')
    expect(await readFile(path.join(code, long), 'utf8')).toBe('long\n')
  })
})

describe('git hardening', () => {
  it('git itself refuses a transport that is not allowed, even if validation were bypassed', async () => {
    const work = path.join(root.dir, `gcm-${++n}`)
    await mkdir(work)
    const repo = await serve({ 'a.txt': 'a\n' })
    const manager = await GitCommandManager.create(work, {
      // A local path that "slipped past" the validator, with only https allowed.
      source: { url: path.join(root.dir, 'served', `repo-${n - 1}.git`), protocol: 'https' },
      allowProtocols: new Set(['https']),
      stallSeconds: 5,
      logger: silentLogger,
      redactor: new Redactor()
    })
    await manager.init()
    const result = await manager.fetchCommit(repo.commit)
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/transport 'file' not allowed/)
  })

  it('keeps the token out of git argv (checked with a logging git wrapper on PATH)', async () => {
    const token = 'argv-canary-5555aaaa'
    const secure = await startGitServer({ root: path.join(root.dir, 'served'), requireAuth: { token } })
    const bin = path.join(root.dir, 'wrapper-bin')
    const log = path.join(root.dir, 'git-argv.log')
    await mkdir(bin, { recursive: true })
    const realGit = (await run('sh', ['-c', 'command -v git'])).stdout.trim()
    await writeFile(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nenv >> '${log}.env'\nexec '${realGit}' "$@"\n`)
    await chmod(path.join(bin, 'git'), 0o755)
    const savedPath = process.env.PATH
    process.env.PATH = `${bin}:${savedPath}`
    try {
      const repo = await serve({ 'a.txt': 'a\n' })
      const url = secure.url(new URL(repo.url).pathname.slice(1))
      const result = await packJob(
        { git_url: url, commit_hash: repo.commit, command: 'true' },
        { ...loopback, outDir: out(), token, tokenOrigin: new URL(url).origin }
      )
      expect(result.commit).toBe(repo.commit)
      const argv = await readFile(log, 'utf8')
      expect(argv).toMatch(/fetch (--progress )?--no-tags --no-recurse-submodules --no-write-fetch-head --depth=1 origin/)
      expect(argv).not.toContain(token)
      expect(argv).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'))
      // The header reaches git through its environment, scoped to the origin; no file ever holds it.
      const env = await readFile(`${log}.env`, 'utf8')
      expect(env).not.toContain(token)
      expect(env).toContain(`GIT_CONFIG_KEY_0=http.${new URL(url).origin}/.extraheader`)
      expect(env).toMatch(/^GIT_CONFIG_VALUE_0=AUTHORIZATION: basic /m)
      expect(env).not.toMatch(/\.gitconfig/)
    } finally {
      process.env.PATH = savedPath
      await secure.close()
    }
  })

  it('gives up on a server that stalls, within the idle timeout', async () => {
    const stalled = await startGitServer({ root: path.join(root.dir, 'served'), stall: true })
    try {
      const started = Date.now()
      const err = await packJob(
        { git_url: stalled.url('x.git'), commit_hash: 'a'.repeat(40), command: 'true' },
        { ...loopback, outDir: out(), idleTimeoutMs: 2000, attempts: 1 }
      ).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(GitError)
      expect(Date.now() - started).toBeLessThan(30000)
    } finally {
      await stalled.close()
    }
  })
})

describe('hostile specs', () => {
  it('keeps a dataset whose URL path tries to escape inside data/', async () => {
    data.route('/a/..%2F..%2F..%2Fescape.csv', serveBuffer('e\n'))
    const repo = await serve({ 'a.txt': 'a\n' })
    const result = await packJob(
      { git_url: repo.url, commit_hash: repo.commit, command: 'true', data_url: data.url('/a/..%2F..%2F..%2Fescape.csv') },
      { ...loopback, outDir: out() }
    )
    expect(await readdir(path.join(result.jobDir, 'data'))).toEqual(['.._.._.._escape.csv'.replace(/^\.+/, '')])
    expect(await listAll(path.dirname(result.jobDir))).toEqual([result.jobId, `${result.jobId}.tar.gz`])
  })

  it('runs a 200 KB command (with max-command-bytes raised) with every metacharacter exactly as given', async () => {
    const repo = await serve({ 'a.txt': 'a\n' })
    const command = `v='${'x'.repeat(200 * 1024)}'\nprintf '%s|' "\${#v}" '$HOME' '\`' ';&|<>(){}[]*?!~#' EOF\necho`
    const result = await packJob(
      { git_url: repo.url, commit_hash: repo.commit, command },
      { ...loopback, outDir: out(), maxCommandBytes: 256 * 1024 }
    )
    const res = await run('sh', [path.join(result.jobDir, 'run.sh')])
    expect(res.stdout).toBe(`${200 * 1024}|$HOME|\`|;&|<>(){}[]*?!~#|EOF|\n`)
    expect((JSON.parse(await readFile(path.join(result.jobDir, 'job.json'), 'utf8')) as Manifest).spec.command).toBe(command)
  })
})

describe('hostile dataset names', () => {
  it('cuts a long name on a character boundary, so the file packed is the file downloaded', async () => {
    const long = `${'😀'.repeat(60)}.${'😀'.repeat(15)}`
    const route = new URL(data.url(`/${encodeURIComponent(long)}`)).pathname
    data.route(route, serveBuffer('emoji\n'))
    const repo = await serve({ 'a.txt': 'a\n' })
    const result = await packJob(
      { git_url: repo.url, commit_hash: repo.commit, command: 'cat "$DATA_FILE"', data_url: data.url(route) },
      { ...loopback, outDir: out() }
    )
    const name = result.datasets[0]!.name
    expect(name).not.toMatch(/\uFFFD|[\uD800-\uDFFF]/u)
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200)
    expect(await readdir(path.join(result.jobDir, 'data'))).toEqual([name])
    expect((await run('sh', [path.join(result.jobDir, 'run.sh')])).stdout).toBe('emoji\n')
  })

  it('replaces bidi controls in the name, in data/ and in job.json', async () => {
    data.route('/report%E2%80%AEgpj.exe', serveBuffer('x\n'))
    const repo = await serve({ 'a.txt': 'a\n' })
    const result = await packJob(
      { git_url: repo.url, commit_hash: repo.commit, command: 'true', data_url: data.url('/report%E2%80%AEgpj.exe') },
      { ...loopback, outDir: out() }
    )
    expect(await readdir(path.join(result.jobDir, 'data'))).toEqual(['report_gpj.exe'])
    const manifest = JSON.parse(await readFile(path.join(result.jobDir, 'job.json'), 'utf8')) as { datasets: Array<{ name: string }> }
    expect(manifest.datasets.map((d) => d.name)).toEqual(['report_gpj.exe'])
  })
})

describe('faults', () => {
  it('refuses an output path under a regular file, clearly', async () => {
    const file = path.join(root.dir, `plain-file-${++n}`)
    await writeFile(file, 'x')
    const repo = await serve({ 'a.txt': 'a\n' })
    await expect(
      packJob({ git_url: repo.url, commit_hash: repo.commit, command: 'true' }, { ...loopback, outDir: path.join(file, 'jobs') })
    ).rejects.toThrow(/output folder .* cannot be used: a part of the path is not a folder/)
  })

  it('refuses a job id whose folder is a planted symlink', async () => {
    const dir = out()
    await mkdir(dir)
    await run('ln', ['-s', '/tmp', path.join(dir, 'planted')])
    const repo = await serve({ 'a.txt': 'a\n' })
    await expect(
      packJob({ git_url: repo.url, commit_hash: repo.commit, command: 'true', job_id: 'planted' }, { ...loopback, outDir: dir })
    ).rejects.toBeInstanceOf(OutputError)
    expect(await listAll(dir)).toEqual(['planted'])
  })

  const asRoot = process.getuid?.() === 0
  // Mounting needs root; CI runs as root, so these run there.
  /**
   * The disk fills at a different step in each case — before git init, in
   * git's own small writes (init, config.lock, fetch, checkout), in the
   * download racing the checkout, in the archive — and whichever it is, the
   * error is the same DiskFullError naming the output folder. A filler file
   * leaves `free` bytes on a small tmpfs; `phases` counts which step each
   * case's error came from, to show the fill really moved.
   */
  const fullDiskCases: Array<{ name: string; size: string; free?: number; code: number; dataset?: number; random?: boolean }> = [
    { name: 'filled by the dataset while git checks out (racing)', size: '2m', code: 0, dataset: 8 * 1024 * 1024 },
    { name: 'full before anything is written (git init)', size: '2m', free: 0, code: 0 },
    { name: 'nearly full: git init does not fit', size: '2m', free: 48 * 1024, code: 0 },
    { name: 'git init and its config fit, the fetch does not', size: '2m', free: 88 * 1024, code: 0 },
    { name: 'the fetch fills it', size: '2m', free: 256 * 1024, code: 600 * 1024 },
    { name: 'the checkout fills it', size: '3m', free: 1200 * 1024, code: 700 * 1024 },
    // Random data: the archive is as large as the code and data together, which the checkout's peak is not.
    { name: 'the archive fills it', size: '4m', free: 1700 * 1024, code: 100 * 1024, dataset: 1000 * 1024, random: true }
  ]
  for (const c of fullDiskCases) {
    ;(asRoot ? it : it.skip)(
      `on a full disk (${c.name}): a DiskFullError naming the folder, and nothing left on it`,
      async () => {
        const mnt = path.join(root.dir, `small-fs-${++n}`)
        await mkdir(mnt)
        await run('mount', ['-t', 'tmpfs', '-o', `size=${c.size}`, 'tmpfs', mnt])
        try {
          const files: FileTree = { 'a.txt': 'a\n' }
          // Random bytes: git cannot compress them, so the pack is as large as the file.
          if (c.code > 0) files['big.bin'] = randomBytes(c.code)
          const repo = await serve(files)
          if (c.dataset) data.route(`/big-${n}.csv`, c.random ? serveBuffer(randomBytes(c.dataset)) : largeStream(c.dataset))
          let filler: string | undefined
          if (c.free !== undefined) {
            const fs = await statfs(mnt)
            filler = path.join(mnt, 'filler')
            await writeFile(filler, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - c.free)))
          }
          const err = await packJob(
            { git_url: repo.url, commit_hash: repo.commit, command: 'true', ...(c.dataset ? { data_url: data.url(`/big-${n}.csv`) } : {}) },
            { ...loopback, outDir: mnt }
          ).catch((e: unknown) => e)
          expect(err).toBeInstanceOf(DiskFullError)
          expect((err as DiskFullError).message).toMatch(
            new RegExp(`^The disk holding ${mnt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is full \\(no space left on the device\\)`)
          )
          expect((err as DiskFullError).folder).toBe(mnt)
          expect(await listAll(mnt)).toEqual(filler ? ['filler'] : [])
        } finally {
          await run('umount', [mnt])
        }
      },
      60_000
    )
  }
  ;(asRoot ? it : it.skip)("git's config write on a full disk (config.lock, no errno in its words) is read as a full disk", async () => {
    const mnt = path.join(root.dir, `small-fs-${++n}`)
    await mkdir(mnt)
    await run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt])
    try {
      const repo = path.join(mnt, 'r')
      expect((await run('git', ['init', '-q', repo])).code).toBe(0)
      const fs = await statfs(mnt)
      await writeFile(path.join(mnt, 'filler'), Buffer.alloc(fs.bavail * fs.bsize))
      // What checkout's `git remote add` runs into when the download beside it has just filled the disk.
      const res = await run('git', ['-C', repo, 'remote', 'add', 'origin', '--', 'http://127.0.0.1:9/r.git'], { allowFailure: true })
      expect(res.code).not.toBe(0)
      expect(res.stderr).toMatch(/config\.lock/)
      expect(res.stderr).not.toMatch(/no space/i)
      const err = await asDiskFull(new GitError(`git remote add failed: ${res.stderr.trim()}`), mnt)
      expect(err).toBeInstanceOf(DiskFullError)
      expect((err as DiskFullError).message).toContain(`The disk holding ${mnt} is full`)
      // The same words with room on the disk are git's error, not a full disk.
      await rm(path.join(mnt, 'filler'))
      expect(await asDiskFull(new GitError(`git remote add failed: ${res.stderr.trim()}`), mnt)).toBeInstanceOf(GitError)
    } finally {
      await run('umount', [mnt])
    }
  })
  ;(asRoot ? it : it.skip)('on a read-only output folder: a clear error', async () => {
    const mnt = path.join(root.dir, `ro-fs-${++n}`)
    await mkdir(mnt)
    await run('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', mnt])
    try {
      const repo = await serve({ 'a.txt': 'a\n' })
      await expect(packJob({ git_url: repo.url, commit_hash: repo.commit, command: 'true' }, { ...loopback, outDir: mnt })).rejects.toThrow(
        /read-only/
      )
    } finally {
      await run('umount', [mnt])
    }
  })
})
