/**
 * Where git may connect and what it sends there, against real git servers on
 * loopback: the private-network block applied to git_url (and the checked
 * address pinned for git), and the token kept on its origin when a server
 * redirects.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { checkoutCommit } from '../../src/core/git/checkout.js'
import { GitError, packJob, Redactor, silentLogger, type PackOptions } from '../../src/core/index.js'
import { resolveOptions } from '../../src/core/options/options.js'
import { parseJobSpec } from '../../src/core/spec.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let commit: string
let n = 0
const loopback: PackOptions = { allowProtocols: ['https', 'http'], allowPrivateNetwork: true, retryDelayMs: 10, attempts: 1 }
const out = () => path.join(root.dir, `out-${++n}`)

beforeAll(async () => {
  root = await tempDir()
  commit = (await makeRepo(path.join(root.dir, 'src'), { 'a.txt': 'a\n' })).commit
  await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
})
afterAll(async () => {
  await git?.close()
  await root?.cleanup()
})

describe('the private-network block for git_url', () => {
  it('refuses a loopback repository without allow-private-network, naming the option, before git connects', async () => {
    const before = git.requests.length
    const dir = out()
    const err = await packJob(
      { git_url: git.url('repo.git'), commit_hash: commit, command: 'true' },
      { ...loopback, allowPrivateNetwork: false, outDir: dir, names: (key, value) => `--${key}${value ? ` (${value})` : ''}` }
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitError)
    expect((err as Error).message).toMatch(
      /^Refused to connect to 127\.0\.0\.1 \(127\.0\.0\.1\) for git_url: .*\(to allow it: --allowPrivateNetwork \(true\)\)\.$/
    )
    expect(git.requests.length).toBe(before)
    expect(await listAll(dir)).toEqual([])
  })

  it('checks every address of a name: localhost is refused too', async () => {
    const err = await packJob(
      { git_url: git.url('repo.git').replace('127.0.0.1', 'localhost'), commit_hash: commit, command: 'true' },
      { ...loopback, allowPrivateNetwork: false, outDir: out() }
    ).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^Refused to connect to localhost \((127\.0\.0\.1|::1)\) for git_url/)
  })

  it('pins the checked address for git: a name that only our lookup knows still reaches the server', async () => {
    // No DNS server knows this name; git can only connect because it is given the address that was checked.
    const url = git.url('repo.git').replace('127.0.0.1', 'git.pinned.invalid')
    const settings = resolveOptions({ ...loopback })
    const spec = parseJobSpec({ git_url: url, commit_hash: commit, command: 'true' }, { allowProtocols: new Set(['http']) })
    const looked: string[] = []
    const result = await checkoutCommit(path.join(root.dir, `pinned-${++n}`, 'code'), {
      git: spec.git,
      commit: spec.commit,
      allowProtocols: new Set(['http']),
      allowPrivateNetwork: true,
      lookup: (host) => {
        looked.push(host)
        return Promise.resolve(['127.0.0.1'])
      },
      limits: settings.limits,
      names: settings.names,
      logger: silentLogger,
      redactor: new Redactor()
    })
    expect(result.commit).toBe(commit)
    expect(looked).toEqual(['git.pinned.invalid'])
    expect(git.requests.at(-1)?.headers.host).toBe(`git.pinned.invalid:${git.port}`)
  })
})

describe('the token and redirects', () => {
  it('never sends the token past a redirect to another origin, and refuses the redirect', async () => {
    const token = 'redirect-canary-77aa99bb'
    // The second server serves the repository and records every header it receives.
    const elsewhere = await startGitServer({ root: path.join(root.dir, 'served') })
    const redirecting = await startGitServer({ root: path.join(root.dir, 'served'), redirectTo: elsewhere.origin })
    try {
      const url = redirecting.url('repo.git')
      const dir = out()
      const err = await packJob(
        { git_url: url, commit_hash: commit, command: 'true' },
        { ...loopback, outDir: dir, token, tokenOrigin: redirecting.origin }
      ).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(GitError)
      expect((err as Error).message).toMatch(/redirect/i)
      expect((err as Error).message).not.toContain(token)
      // The token went to its origin (which redirected), never to the other server.
      expect(redirecting.requests.length).toBeGreaterThan(0)
      expect(redirecting.requests.every((r) => /^basic /i.test(String(r.headers.authorization)))).toBe(true)
      const leaked = elsewhere.requests.filter((r) =>
        JSON.stringify(r.headers).includes(Buffer.from(`x-access-token:${token}`).toString('base64'))
      )
      expect(leaked).toEqual([])
      expect(elsewhere.requests).toEqual([])
      expect(await listAll(dir)).toEqual([])
    } finally {
      await Promise.all([redirecting.close(), elsewhere.close()])
    }
  })

  it('does not follow a redirect without a token either: the code comes from git_url, which job.json records', async () => {
    const elsewhere = await startGitServer({ root: path.join(root.dir, 'served') })
    const redirecting = await startGitServer({ root: path.join(root.dir, 'served'), redirectTo: elsewhere.origin })
    try {
      const err = await packJob(
        { git_url: redirecting.url('repo.git'), commit_hash: commit, command: 'true' },
        { ...loopback, outDir: out() }
      ).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(GitError)
      expect(elsewhere.requests).toEqual([])
      const ok = await packJob({ git_url: git.url('repo.git'), commit_hash: commit, command: 'true' }, { ...loopback, outDir: out() })
      expect(ok.manifest.source.git_url).toBe(git.url('repo.git'))
    } finally {
      await Promise.all([redirecting.close(), elsewhere.close()])
    }
  })
})
