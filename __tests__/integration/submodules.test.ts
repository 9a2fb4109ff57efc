/**
 * Submodules end to end, against real parts: superprojects and their
 * submodules served by the same `git http-backend` on loopback, the packager
 * in process, and every file read back from the archive unpacked by GNU tar.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { GitError, LimitError, packJob, silentLogger, type Logger, type PackOptions } from '../../src/core/index.js'
import { resolveSubmoduleUrl } from '../../src/core/git/submodules.js'
import { removeGitDirs } from '../../src/core/git/checkout.js'
import type { Manifest } from '../../src/core/render/manifest.js'
import {
  commitFiles,
  commitGitlinks,
  gitmodulesText,
  makeBareClone,
  makeRepo,
  run,
  startGitServer,
  type FileTree,
  type GitServer
} from '../helpers/git-server.js'
import { gnuTarExtract, gnuTarList, listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
/** The same repositories from a second origin (another port): for the token rule. */
let other: GitServer
let secure: GitServer
const TOKEN = 'submodule-token-7777bbbb'
const commits: Record<string, string> = {}
let n = 0

const loopback: PackOptions = { allowProtocols: ['https', 'http'], allowPrivateNetwork: true, retryDelayMs: 10, attempts: 1 }
const served = (): string => path.join(root.dir, 'served')

/** A repository `name.git` with `files` and, if given, gitlinks and .gitmodules in a second commit. */
async function serve(name: string, files: FileTree, links?: { links: Record<string, string>; gitmodules: string | null }): Promise<string> {
  const src = path.join(root.dir, 'src', name)
  let commit = (await makeRepo(src, files)).commit
  if (links) commit = await commitGitlinks(src, links.links, links.gitmodules)
  await makeBareClone(src, served(), `${name}.git`)
  commits[name] = commit
  return commit
}

beforeAll(async () => {
  root = await tempDir()
  await mkdir(served(), { recursive: true })
  git = await startGitServer({ root: served() })
  other = await startGitServer({ root: served() })
  secure = await startGitServer({ root: served(), requireAuth: { token: TOKEN } })
  await serve('lib', { 'lib.py': 'VALUE = 42\n', 'data/table.csv': 'a,b\n1,2\n' })
  await serve('other', { 'other.txt': 'from the absolute URL\n' })
  await serve('deep', { 'deep.txt': 'two levels down\n' })
  // mid's own submodule is relative to mid's URL: ../deep.git beside it.
  await serve(
    'mid',
    { 'mid.txt': 'one level down\n' },
    { links: { deep: commits.deep! }, gitmodules: gitmodulesText({ deep: '../deep.git' }) }
  )
  await serve(
    'top',
    { 'main.py': 'print(1)\n' },
    {
      links: { 'vendor/rel': commits.lib!, 'vendor/abs': commits.other! },
      gitmodules: gitmodulesText({ 'vendor/rel': '../lib.git', 'vendor/abs': `${git.url('other.git')}` })
    }
  )
  await serve('nested', { 'app.txt': 'app\n' }, { links: { mid: commits.mid! }, gitmodules: gitmodulesText({ mid: './../mid.git' }) })
})

afterAll(async () => {
  await Promise.all([git?.close(), other?.close(), secure?.close()])
  await root?.cleanup()
})

function out(): string {
  return path.join(root.dir, `out-${++n}`)
}

/** Unpacks the archive with GNU tar and returns the job folder inside it. */
async function unpack(archive: string, jobId: string): Promise<string> {
  const dest = path.join(root.dir, `unpack-${++n}`)
  await mkdir(dest)
  await gnuTarExtract(archive, dest)
  return path.join(dest, jobId)
}

function collecting(): { logger: Logger; warnings: string[]; infos: string[] } {
  const warnings: string[] = []
  const infos: string[] = []
  // The base image warning (no registry reachable from the tests) is not what these tests count.
  return {
    logger: { ...silentLogger, warn: (m) => void (m.startsWith('base image floats') || warnings.push(m)), info: (m) => infos.push(m) },
    warnings,
    infos
  }
}

const fetchesOf = (server: GitServer, repo: string) =>
  server.requests.filter((r) => r.method === 'POST' && r.path === `/${repo}/git-upload-pack` && r.pktLines.includes('command=fetch'))

describe('submodules', () => {
  it('fetches relative and absolute submodule URLs at the gitlinks’ commits, one commit each, and lists them in job.json', async () => {
    git.requests.length = 0
    const result = await packJob(
      { git_url: git.url('top.git'), commit_hash: commits.top, command: 'true', job_id: 'subs', submodules: true },
      { ...loopback, outDir: out() }
    )
    const job = await unpack(result.archivePath, 'subs')
    expect(await readFile(path.join(job, 'code', 'vendor', 'rel', 'lib.py'), 'utf8')).toBe('VALUE = 42\n')
    expect(await readFile(path.join(job, 'code', 'vendor', 'rel', 'data', 'table.csv'), 'utf8')).toBe('a,b\n1,2\n')
    expect(await readFile(path.join(job, 'code', 'vendor', 'abs', 'other.txt'), 'utf8')).toBe('from the absolute URL\n')
    expect(await readFile(path.join(job, 'code', 'main.py'), 'utf8')).toBe('print(1)\n')
    // No .git of any repository reaches the package.
    expect((await gnuTarList(result.archivePath)).filter((e) => /(^|\/)\.git(\/|$)/.test(e))).toEqual([])

    // Each submodule: the one commit by id, one level deep (the top level's path).
    for (const [repo, commit] of [
      ['lib.git', commits.lib],
      ['other.git', commits.other]
    ] as const) {
      const fetches = fetchesOf(git, repo)
      expect(fetches).toHaveLength(1)
      expect(fetches[0]!.wants).toEqual([commit])
      expect(fetches[0]!.shallowLines).toContain('deepen 1')
    }

    const manifest = JSON.parse(await readFile(path.join(job, 'job.json'), 'utf8')) as Manifest
    expect(manifest.source.submodules).toEqual([
      { path: 'vendor/abs', url: git.url('other.git'), commit: commits.other, included: true },
      { path: 'vendor/rel', url: git.url('lib.git'), commit: commits.lib, included: true }
    ])
    expect(manifest.warnings).toEqual([])
    expect(result.warnings).toEqual([])
    // 1 file of the top level, .gitmodules, 2 gitlinks, 2 + 1 files of the submodules.
    expect(manifest.files).toBeGreaterThanOrEqual(5)
  })

  it('with submodules false (the default) leaves each one empty, fetches nothing of it, and says so in the log and job.json', async () => {
    git.requests.length = 0
    const { logger, warnings } = collecting()
    const result = await packJob(
      { git_url: git.url('top.git'), commit_hash: commits.top, command: 'true', job_id: 'nosubs' },
      { ...loopback, outDir: out(), logger }
    )
    const job = await unpack(result.archivePath, 'nosubs')
    expect(await listAll(path.join(job, 'code', 'vendor', 'rel'))).toEqual([])
    expect(await listAll(path.join(job, 'code', 'vendor', 'abs'))).toEqual([])
    expect(fetchesOf(git, 'lib.git')).toEqual([])
    expect(fetchesOf(git, 'other.git')).toEqual([])

    const expected = [
      `Submodule vendor/abs ("${git.url('other.git')}" at ${commits.other}) was left empty: submodules is false (to include it: submodules: true).`,
      `Submodule vendor/rel ("${git.url('lib.git')}" at ${commits.lib}) was left empty: submodules is false (to include it: submodules: true).`
    ]
    expect(warnings).toEqual(expected)
    expect(result.warnings).toEqual(expected)
    const manifest = JSON.parse(await readFile(path.join(job, 'job.json'), 'utf8')) as Manifest
    expect(manifest.warnings).toEqual(expected)
    expect(manifest.source.submodules).toEqual([
      { path: 'vendor/abs', url: git.url('other.git'), commit: commits.other, included: false },
      { path: 'vendor/rel', url: git.url('lib.git'), commit: commits.lib, included: false }
    ])
  })

  it('recursive fetches nested submodules (relative to their parent’s URL); true leaves the nested one empty, with a warning', async () => {
    const spec = { git_url: git.url('nested.git'), commit_hash: commits.nested, command: 'true', job_id: 'nest' }
    const deep = await packJob({ ...spec, submodules: 'recursive' }, { ...loopback, outDir: out() })
    const job = await unpack(deep.archivePath, 'nest')
    expect(await readFile(path.join(job, 'code', 'mid', 'mid.txt'), 'utf8')).toBe('one level down\n')
    expect(await readFile(path.join(job, 'code', 'mid', 'deep', 'deep.txt'), 'utf8')).toBe('two levels down\n')
    expect(deep.submodules).toEqual([
      { path: 'mid', url: git.url('mid.git'), commit: commits.mid, included: true },
      { path: 'mid/deep', url: git.url('deep.git'), commit: commits.deep, included: true }
    ])
    expect(deep.warnings).toEqual([])

    const { logger, warnings } = collecting()
    const one = await packJob({ ...spec, submodules: true }, { ...loopback, outDir: out(), logger })
    const shallowJob = await unpack(one.archivePath, 'nest')
    expect(await readFile(path.join(shallowJob, 'code', 'mid', 'mid.txt'), 'utf8')).toBe('one level down\n')
    expect(await listAll(path.join(shallowJob, 'code', 'mid', 'deep'))).toEqual([])
    const warning = `Submodule mid/deep ("${git.url('deep.git')}" at ${commits.deep}) was left empty: it is nested in submodule mid and submodules is true, one level (to include it: submodules: recursive).`
    expect(warnings).toEqual([warning])
    const manifest = JSON.parse(await readFile(path.join(shallowJob, 'job.json'), 'utf8')) as Manifest
    expect(manifest.warnings).toEqual([warning])
    expect(manifest.source.submodules.map((s) => [s.path, s.included])).toEqual([
      ['mid', true],
      ['mid/deep', false]
    ])
  })

  it('falls back to the full fetch when the submodule’s server will not hand out its commit by id (protocol v0)', async () => {
    const v0 = await startGitServer({ root: served(), protocolV0: true })
    try {
      // The gitlink records an older commit of lib-history: not a branch tip, so a v0 server refuses it by id.
      const src = path.join(root.dir, 'src', 'lib-history')
      const older = (await makeRepo(src, { 'v.txt': 'old\n' })).commit
      await commitFiles(src, { 'v.txt': 'new\n' }, 'newer')
      await makeBareClone(src, served(), 'lib-history.git')
      const commit = await serve(
        'v0-top',
        { 'a.txt': 'a\n' },
        { links: { lib: older }, gitmodules: gitmodulesText({ lib: '../lib-history.git' }) }
      )
      const { logger, infos } = collecting()
      const result = await packJob(
        { git_url: v0.url('v0-top.git'), commit_hash: commit, command: 'true', job_id: 'v0', submodules: true },
        { ...loopback, outDir: out(), logger }
      )
      const job = await unpack(result.archivePath, 'v0')
      expect(await readFile(path.join(job, 'code', 'lib', 'v.txt'), 'utf8')).toBe('old\n')
      expect(infos).toContainEqual(
        expect.stringMatching(new RegExp(`^Checked out submodule lib at ${older} \\(\\d+ files, \\d+ bytes, full fetch\\)$`))
      )
      // git asked for the commit by id first and was refused (a v0 server does not advertise it), then fetched the branches.
      expect(infos).toContainEqual(expect.stringMatching(/^The one-commit fetch failed \(.*unadvertised object/))
      const posts = v0.requests.filter((r) => r.method === 'POST' && r.path === '/lib-history.git/git-upload-pack')
      expect(posts).toHaveLength(1)
      expect(posts[0]!.shallowLines).toEqual([])
      expect(posts[0]!.wants).not.toContain(older)
    } finally {
      await v0.close()
    }
  })

  it('refuses submodules nested deeper than max-submodule-depth, naming the one, and leaves nothing', async () => {
    const dir = out()
    const err = await packJob(
      { git_url: git.url('nested.git'), commit_hash: commits.nested, command: 'true', submodules: 'recursive' },
      { ...loopback, outDir: dir, maxSubmoduleDepth: 1 }
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LimitError)
    expect((err as Error).message).toBe('Submodule mid/deep is nested 2 deep, more than the limit of 1 (maxSubmoduleDepth).')
    expect(await listAll(dir)).toEqual([])
  })

  it('a submodule commit that is not on its server is a clear error naming the submodule, after the full-fetch fallback', async () => {
    const missing = 'abcdef0123456789abcdef0123456789abcdef01'
    const commit = await serve(
      'broken',
      { 'a.txt': 'a\n' },
      { links: { 'libs/gone': missing }, gitmodules: gitmodulesText({ 'libs/gone': '../lib.git' }) }
    )
    git.requests.length = 0
    const dir = out()
    const err = await packJob(
      { git_url: git.url('broken.git'), commit_hash: commit, command: 'true', submodules: true },
      { ...loopback, outDir: dir }
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitError)
    expect((err as Error).message).toBe(
      `Submodule libs/gone: commit ${missing}, which its gitlink records, was not found in ${git.url('lib.git')}: it is not on any branch or tag the server offers. Push that commit to the submodule's repository, or point the gitlink at a commit that is there.`
    )
    // The one-commit fetch first, then the history, as for the top level.
    const fetches = fetchesOf(git, 'lib.git')
    expect(fetches[0]!.wants).toEqual([missing])
    expect(fetches.length).toBeGreaterThan(1)
    expect(await listAll(dir)).toEqual([])
  })

  it('refuses a disallowed URL in .gitmodules before git runs for it (checked with a logging git wrapper on PATH)', async () => {
    const marker = path.join(root.dir, 'pwned')
    const cases: Array<{ url: string; message: RegExp }> = [
      {
        url: `ext::sh -c touch% ${marker}`,
        message:
          /^Submodule evil \(url "ext::sh -c touch% .*" in \.gitmodules\) is refused: "ext::sh -c touch% .*" uses a git remote helper transport \(like ext:: or fd::\), which is never allowed\. Accepted: /
      },
      {
        url: 'file:///etc',
        message:
          /^Submodule evil \(url "file:\/\/\/etc" in \.gitmodules\) is refused: "file:\/\/\/etc" uses the file transport, which is not allowed here \(allowed: https, http; to allow it: allowProtocols: https,http,file\)\. Accepted: /
      },
      {
        url: 'https://user:s3cret-password@127.0.0.1/x.git',
        message: /^Submodule evil \(url "https:\/\/\*\*\*@127\.0\.0\.1\/x\.git" in \.gitmodules\) is refused: .* has credentials in it/
      },
      {
        url: '--upload-pack=touch /tmp/x',
        message: /^Submodule evil \(url "--upload-pack=touch \/tmp\/x" in \.gitmodules\) is refused: .*neither an absolute URL nor relative/
      },
      {
        url: '../../../../x.git',
        message: /^Submodule evil \(url "\.\.\/\.\.\/\.\.\/\.\.\/x\.git" in \.gitmodules\) is refused: its \.\.\/ climbs above the root of /
      }
    ]
    const bin = path.join(root.dir, 'wrapper-bin')
    const log = path.join(root.dir, 'git-argv.log')
    await mkdir(bin, { recursive: true })
    const realGit = (await run('sh', ['-c', 'command -v git'])).stdout.trim()
    await writeFile(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\t%s\\n' "$PWD" "$*" >> '${log}'\nexec '${realGit}' "$@"\n`)
    await chmod(path.join(bin, 'git'), 0o755)
    const savedPath = process.env.PATH
    process.env.PATH = `${bin}:${savedPath}`
    try {
      for (const [i, c] of cases.entries()) {
        const commit = await serve(
          `evil-${i}`,
          { 'a.txt': 'a\n' },
          { links: { evil: commits.lib! }, gitmodules: gitmodulesText({ evil: c.url }) }
        )
        await writeFile(log, '')
        const dir = out()
        const err = await packJob(
          { git_url: git.url(`evil-${i}.git`), commit_hash: commit, command: 'true', submodules: true },
          { ...loopback, outDir: dir }
        ).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(GitError)
        expect((err as Error).message).toMatch(c.message)
        expect((err as Error).message).not.toContain('s3cret')
        expect(await listAll(dir)).toEqual([])
        // git ran only in the top level's folder: never with the URL, never in the submodule's folder.
        const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean)
        expect(lines.length).toBeGreaterThan(0)
        expect(
          lines.filter((l) => l.includes('ext::') || l.includes('file:///etc') || l.includes('s3cret') || l.includes('upload-pack='))
        ).toEqual([])
        expect(lines.filter((l) => l.split('\t')[0]!.endsWith('/evil'))).toEqual([])
        expect(lines.filter((l) => / remote add /.test(l))).toHaveLength(1)
      }
    } finally {
      process.env.PATH = savedPath
    }
    expect(await listAll(marker)).toEqual([])
  })

  it('refuses a submodule on a loopback address while the private-network block is on, before git runs for it', async () => {
    // The top level by a local path (not subject to the address check; file allowed), its submodule over http on 127.0.0.1.
    const commit = await serve(
      'local-top',
      { 'a.txt': 'a\n' },
      { links: { net: commits.lib! }, gitmodules: gitmodulesText({ net: git.url('lib.git') }) }
    )
    git.requests.length = 0
    const dir = out()
    const err = await packJob(
      { git_url: path.join(served(), 'local-top.git'), commit_hash: commit, command: 'true', submodules: true },
      { ...loopback, allowProtocols: ['https', 'http', 'file'], allowPrivateNetwork: false, outDir: dir }
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitError)
    expect((err as Error).message).toMatch(
      /^Refused to connect to 127\.0\.0\.1 \(127\.0\.0\.1\) for submodule net: it is a loopback, private, link-local or reserved address\./
    )
    expect(git.requests).toEqual([])
    expect(await listAll(dir)).toEqual([])
  })

  it('sends the token to a submodule on the token origin only', async () => {
    // top on the secure server (token required); one submodule beside it (relative: same origin), one on another origin.
    const commit = await serve(
      'private-top',
      { 'a.txt': 'a\n' },
      {
        links: { same: commits.lib!, elsewhere: commits.other! },
        gitmodules: gitmodulesText({ same: '../lib.git', elsewhere: other.url('other.git') })
      }
    )
    other.requests.length = 0
    secure.requests.length = 0
    const { logger, infos } = collecting()
    const result = await packJob(
      { git_url: secure.url('private-top.git'), commit_hash: commit, command: 'true', submodules: true },
      { ...loopback, outDir: out(), logger, token: TOKEN, tokenOrigin: secure.origin }
    )
    expect(result.submodules.map((s) => [s.path, s.url, s.included])).toEqual([
      ['elsewhere', other.url('other.git'), true],
      ['same', secure.url('lib.git'), true]
    ])
    // The secure server answers nothing without the token: the relative submodule got it.
    expect(fetchesOf(secure, 'lib.git').length).toBeGreaterThan(0)
    expect(fetchesOf(secure, 'lib.git').every((r) => r.status === 200)).toBe(true)
    expect(other.requests.length).toBeGreaterThan(0)
    expect(other.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([])
    expect(infos).toContain(
      `The token is not sent to ${other.origin} (submodule elsewhere): it is only sent to ${secure.origin} (tokenOrigin).`
    )
  })

  it('counts every fetch of the job toward one max-fetch-bytes budget', async () => {
    // Two submodules of 700 KiB each that does not compress: each fits in 1 MiB alone, not together.
    const a = await serve('big-a', { 'a.bin': randomBytes(700 * 1024) })
    const b = await serve('big-b', { 'b.bin': randomBytes(700 * 1024) })
    const commit = await serve(
      'big-top',
      { 'x.txt': 'x\n' },
      { links: { a, b }, gitmodules: gitmodulesText({ a: '../big-a.git', b: '../big-b.git' }) }
    )
    const spec = { git_url: git.url('big-top.git'), commit_hash: commit, command: 'true', submodules: true }
    const dir = out()
    const err = await packJob(spec, { ...loopback, outDir: dir, maxFetchBytes: 1024 * 1024 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LimitError)
    expect((err as Error).message).toBe('The git fetches received more than 1048576 bytes, the limit (maxFetchBytes), and were stopped.')
    expect(await listAll(dir)).toEqual([])
    const fits = await packJob(spec, { ...loopback, outDir: out(), maxFetchBytes: 2 * 1024 * 1024 })
    expect(fits.submodules.map((s) => s.included)).toEqual([true, true])
  })

  it('counts the submodules’ files toward max-checkout-files', async () => {
    const dir = out()
    // top: main.py, .gitmodules, two gitlinks (4 entries); lib adds 2 files, other 1.
    const err = await packJob(
      { git_url: git.url('top.git'), commit_hash: commits.top, command: 'true', submodules: true },
      { ...loopback, outDir: dir, maxCheckoutFiles: 6 }
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LimitError)
    expect((err as Error).message).toBe('The tree with its submodules (at vendor/rel) has more than 6 files, the limit (maxCheckoutFiles).')
    expect(await listAll(dir)).toEqual([])
    const fits = await packJob(
      { git_url: git.url('top.git'), commit_hash: commits.top, command: 'true', submodules: true },
      { ...loopback, outDir: out(), maxCheckoutFiles: 7 }
    )
    expect(fits.submodules).toHaveLength(2)
  })
})

describe('removeGitDirs', () => {
  it('removes every .git below the tree, folders and files (a submodule work tree can have a .git file), and nothing else', async () => {
    const dir = path.join(root.dir, 'gitdirs')
    await mkdir(path.join(dir, '.git', 'objects'), { recursive: true })
    await mkdir(path.join(dir, 'a', 'b', '.git'), { recursive: true })
    await writeFile(path.join(dir, 'a', '.git'), 'gitdir: ../.git/modules/a\n')
    await writeFile(path.join(dir, 'a', 'b', 'keep.git'), 'kept\n')
    await writeFile(path.join(dir, 'a', '.gitignore'), 'kept\n')
    await removeGitDirs(dir)
    const left = (await readdir(dir, { recursive: true })).sort()
    expect(left).toEqual(['a', 'a/.gitignore', 'a/b', 'a/b/keep.git'])
  })
})

describe('resolveSubmoduleUrl (git’s rule for ./ and ../)', () => {
  it.each([
    ['https://host/org/repo.git', '../lib.git', 'https://host/org/lib.git'],
    ['https://host/org/repo.git/', '../lib.git', 'https://host/org/lib.git'],
    ['https://host/org/repo.git', './sub', 'https://host/org/repo.git/sub'],
    ['https://host/org/repo', '../../other/lib', 'https://host/other/lib'],
    ['git@host:org/repo.git', '../lib.git', 'git@host:org/lib.git'],
    ['ssh://git@host:2222/org/repo.git', '../lib.git', 'ssh://git@host:2222/org/lib.git'],
    ['/srv/git/repo.git', '../lib.git', '/srv/git/lib.git'],
    ['file:///srv/git/repo.git', '../lib.git', 'file:///srv/git/lib.git'],
    ['https://host/org/repo.git', 'https://elsewhere/x.git', 'https://elsewhere/x.git']
  ])('%s + %s = %s', (base, url, expected) => {
    expect(resolveSubmoduleUrl(base, url)).toBe(expected)
  })

  it('refuses a ../ that climbs over the host', () => {
    expect(() => resolveSubmoduleUrl('https://host/repo.git', '../../x.git')).toThrow(/climbs above the root of "https:\/\/host\/repo.git"/)
  })
})
