/**
 * Self-tests of __tests__/helpers/git-server.ts with the real git client:
 * the fixtures other tests rely on must be shown to do what they claim.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises'
import * as http from 'node:http'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import {
  FIXED_DATE,
  basicAuthHeader,
  cleanGitEnv,
  commitFiles,
  git,
  makeBareClone,
  makeDanglingCommit,
  makeHistory,
  makeRepo,
  sha256Supported,
  startGitServer,
  type GitServer
} from './helpers/git-server.js'

let work: string
let root: string
let first: string
let second: string
let third: string

/** git with a clean env, optionally more variables (e.g. GIT_SSL_CAINFO). */
const client = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, allowFailure = false) =>
  git(cwd, args, { env: cleanGitEnv(env), allowFailure, timeoutMs: 20000 })

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'jp-fixture-git-'))
  root = path.join(work, 'srv')
  const src = path.join(work, 'src')
  const made = await makeRepo(src, {
    'README.md': 'hello\n',
    'bin/run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o755 },
    'link-to-readme': { symlink: 'README.md' }
  })
  first = made.commit
  second = await commitFiles(src, { 'data/a.txt': 'a\n' }, 'second')
  third = await commitFiles(src, { 'data/a.txt': 'b\n', 'README.md': null }, 'third')
  await makeBareClone(src, root, 'repo.git')
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('repository fixtures', () => {
  test('commits are deterministic and modes/symlinks are recorded', async () => {
    const again = await makeRepo(path.join(work, 'again'), {
      'README.md': 'hello\n',
      'bin/run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o755 },
      'link-to-readme': { symlink: 'README.md' }
    })
    expect(again.commit).toBe(first)
    expect(again.commit).toMatch(/^[0-9a-f]{40}$/)

    const otherDate = await makeRepo(path.join(work, 'other-date'), { 'README.md': 'hello\n' }, { date: '2030-01-01T00:00:00Z' })
    const sameDate = await makeRepo(path.join(work, 'same-date'), { 'README.md': 'hello\n' })
    expect(otherDate.commit).not.toBe(sameDate.commit)

    const tree = (await client(path.join(work, 'src'), ['ls-tree', '-r', first])).stdout
    expect(tree).toMatch(/^100755 blob \S+\tbin\/run\.sh$/m)
    expect(tree).toMatch(/^120000 blob \S+\tlink-to-readme$/m)
    expect(tree).toMatch(/^100644 blob \S+\tREADME\.md$/m)
    const who = (await client(path.join(work, 'src'), ['log', '-1', '--format=%an <%ae> %aI %cI', first])).stdout.trim()
    expect(who).toBe(
      `Job Packager Test <test@job-packager.invalid> ${FIXED_DATE.replace('Z', '+00:00')} ${FIXED_DATE.replace('Z', '+00:00')}`
    )
    // `null` deleted the file in the third commit
    const files3 = (await client(path.join(work, 'src'), ['ls-tree', '-r', '--name-only', third])).stdout
    expect(files3).not.toMatch(/README\.md/)
    expect(files3).toMatch(/data\/a\.txt/)
  })

  test('writeTree refuses paths escaping the repository', async () => {
    await expect(makeRepo(path.join(work, 'escape'), { '../outside.txt': 'x' })).rejects.toThrow(/escapes/)
  })

  test('makeHistory appends many commits quickly and deterministically', async () => {
    const t0 = Date.now()
    const a = await makeHistory(path.join(work, 'hist-a'), 2000)
    const b = await makeHistory(path.join(work, 'hist-b'), 2000)
    expect(Date.now() - t0).toBeLessThan(10000)
    expect(a).toHaveLength(2000)
    expect(a).toEqual(b)
    const count = (await client(path.join(work, 'hist-a'), ['rev-list', '--count', 'main'])).stdout.trim()
    expect(count).toBe('2000')
    expect((await client(path.join(work, 'hist-a'), ['rev-parse', 'HEAD'])).stdout.trim()).toBe(a[1999])
    // Extending an existing repo keeps its history and syncs the work tree.
    const base = await makeRepo(path.join(work, 'hist-c'), { 'x.txt': 'x' })
    const more = await makeHistory(path.join(work, 'hist-c'), 3)
    expect((await client(path.join(work, 'hist-c'), ['rev-parse', `${more[0]}^`])).stdout.trim()).toBe(base.commit)
    expect(await readFile(path.join(work, 'hist-c', 'history.txt'), 'utf8')).toBe('commit 2\n')
    expect((await client(path.join(work, 'hist-c'), ['status', '--porcelain'])).stdout).toBe('')
  })
})

describe('git smart HTTP server', () => {
  let server: GitServer
  beforeAll(async () => {
    server = await startGitServer({ root })
  })
  afterAll(async () => {
    await server.close()
  })

  test('clone over http with protocol v2', async () => {
    const dest = path.join(work, 'clone-http')
    await client(work, ['clone', '-q', server.url('repo.git'), dest])
    expect((await client(dest, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(third)
    expect(await readFile(path.join(dest, 'data/a.txt'), 'utf8')).toBe('b\n')
    const adv = server.requests.find((r) => r.url === '/repo.git/info/refs?service=git-upload-pack')
    expect(adv?.status).toBe(200)
    expect(adv?.gitProtocol).toBe('version=2')
    expect(adv?.responsePreview.toString('latin1')).toContain('version 2')
    const post = server.requests.find((r) => r.method === 'POST' && r.path === '/repo.git/git-upload-pack' && r.wants.length > 0)
    // git clone wants HEAD and refs/heads/main: the same SHA twice.
    expect([...new Set(post?.wants)]).toEqual([third])
    expect(post?.shallowLines).toEqual([])
  })

  test('shallow fetch of a non-tip SHA works with protocol v2', async () => {
    const dest = path.join(work, 'shallow-v2')
    await client(work, ['init', '-q', dest])
    const before = server.requests.length
    await client(dest, ['fetch', '-q', '--depth=1', server.url('repo.git'), first])
    expect((await client(dest, ['rev-parse', 'FETCH_HEAD'])).stdout.trim()).toBe(first)
    expect((await client(dest, ['rev-parse', '--is-shallow-repository'])).stdout.trim()).toBe('true')
    const fetches = server.requests.slice(before).filter((r) => r.wants.length > 0)
    expect(fetches.map((r) => r.wants)).toEqual([[first]])
    expect(fetches[0]?.shallowLines).toContain('deepen 1')
  })

  test('unknown repositories answer 404', async () => {
    const r = await client(work, ['ls-remote', server.url('nope.git')], {}, true)
    expect(r.code).not.toBe(0)
    expect(server.requests.at(-1)?.status).toBe(404)
  })

  test('gzip-compressed request bodies reach http-backend', async () => {
    // A client with lots of unrelated history sends many "have" lines, which
    // git gzips once the request exceeds 1 KiB.
    const dest = path.join(work, 'gzip-client')
    await makeHistory(dest, 300, { branch: 'other', startEpoch: 1000000000 })
    const before = server.requests.length
    await client(dest, ['fetch', '-q', server.url('repo.git'), 'main'])
    expect((await client(dest, ['rev-parse', 'FETCH_HEAD'])).stdout.trim()).toBe(third)
    const gz = server.requests.slice(before).filter((r) => r.headers['content-encoding'] === 'gzip')
    expect(gz.length).toBeGreaterThan(0)
    expect(gz[0]?.pktLines.some((l) => l.startsWith('have '))).toBe(true)
    expect(gz[0]!.body.length).toBeGreaterThan(gz[0]!.wireBodyBytes)
  })

  test('SHA-256 repositories are served', async () => {
    if (!(await sha256Supported())) {
      // Make the skip visible rather than silently passing.
      console.warn('git has no SHA-256 support: test not run')
      return
    }
    const src = path.join(work, 'src256')
    const made = await makeRepo(src, { 'f.txt': 'x\n' }, { objectFormat: 'sha256' })
    expect(made.commit).toMatch(/^[0-9a-f]{64}$/)
    await makeBareClone(src, root, 'repo256.git')
    const dest = path.join(work, 'clone256')
    await client(work, ['clone', '-q', server.url('repo256.git'), dest])
    expect((await client(dest, ['rev-parse', '--show-object-format'])).stdout.trim()).toBe('sha256')
    expect((await client(dest, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(made.commit)
  })
})

describe('git server over https', () => {
  let server: GitServer
  beforeAll(async () => {
    server = await startGitServer({ root, https: true })
  })
  afterAll(async () => {
    await server.close()
  })

  test('clone works when the throwaway CA is trusted', async () => {
    expect(server.url('repo.git')).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/repo\.git$/)
    const dest = path.join(work, 'clone-https')
    await client(work, ['clone', '-q', server.url('repo.git'), dest], { GIT_SSL_CAINFO: server.caFile })
    expect((await client(dest, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(third)
  })

  test('clone fails when only the system CAs are trusted', async () => {
    const r = await client(
      work,
      ['clone', '-q', server.url('repo.git'), path.join(work, 'clone-https-bad')],
      { GIT_SSL_CAINFO: '/etc/ssl/certs/ca-certificates.crt' },
      true
    )
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/certificate|SSL/i)
  })
})

describe('git server with protocol v0', () => {
  let server: GitServer
  let dangling: string
  beforeAll(async () => {
    dangling = await makeDanglingCommit(path.join(work, 'src'))
    await makeBareClone(path.join(work, 'src'), root, 'v0.git')
    server = await startGitServer({ root, protocolV0: true })
  })
  afterAll(async () => {
    await server.close()
  })

  test('fetching an unadvertised non-tip SHA fails, fetching the branch works', async () => {
    const dest = path.join(work, 'shallow-v0')
    await client(work, ['init', '-q', dest])
    const bad = await client(dest, ['fetch', '--depth=1', server.url('v0.git'), second], {}, true)
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/unadvertised object|not our ref/)
    // The client asked for v2, the server answered v0 anyway.
    const adv = server.requests.find((r) => r.url.endsWith('info/refs?service=git-upload-pack'))
    expect(adv?.gitProtocol).toBe('version=2')
    expect(adv?.responsePreview.toString('latin1')).not.toContain('version 2')
    expect(adv?.responsePreview.toString('latin1')).toContain('refs/heads/main')

    await client(dest, ['fetch', '-q', '--depth=1', server.url('v0.git'), 'main'])
    expect((await client(dest, ['rev-parse', 'FETCH_HEAD'])).stdout.trim()).toBe(third)
    expect(server.requests.some((r) => r.shallowLines.includes('deepen 1') && r.wants.includes(third))).toBe(true)
  })

  test('the server itself refuses a commit no ref reaches, even when the client sends the want', async () => {
    const relaxed = await startGitServer({ root, protocolV0: true, config: { 'uploadpack.allowTipSHA1InWant': 'true' } })
    try {
      const dest = path.join(work, 'dangling-v0')
      await client(work, ['init', '-q', dest])
      const r = await client(dest, ['fetch', relaxed.url('v0.git'), dangling], {}, true)
      expect(r.code).not.toBe(0)
      expect(r.stderr).toMatch(/not our ref/)
      expect(relaxed.requests.some((q) => q.wants.includes(dangling))).toBe(true)
    } finally {
      await relaxed.close()
    }
  })
})

describe('git server authentication', () => {
  let server: GitServer
  beforeAll(async () => {
    server = await startGitServer({ root, requireAuth: { username: 'x-access-token', token: 's3cret' } })
  })
  afterAll(async () => {
    await server.close()
  })

  test('401 without credentials (no prompt), success with an extra header', async () => {
    const noCreds = await client(work, ['ls-remote', server.url('repo.git')], { GIT_TERMINAL_PROMPT: '0' }, true)
    expect(noCreds.code).not.toBe(0)
    expect(server.requests[0]?.status).toBe(401)
    expect(server.requests[0]?.headers.authorization).toBeUndefined()

    const header = basicAuthHeader('x-access-token', 's3cret')
    const ok = await client(work, ['-c', `http.extraHeader=Authorization: ${header}`, 'ls-remote', server.url('repo.git')])
    expect(ok.stdout).toContain(`${third}\trefs/heads/main`)
    const authed = server.requests.filter((r) => r.headers.authorization === header)
    expect(authed.length).toBeGreaterThan(0)
    expect(authed.every((r) => r.status === 200)).toBe(true)
  })

  test('wrong token or wrong user is refused', async () => {
    for (const header of [basicAuthHeader('x-access-token', 'wrong'), basicAuthHeader('someone', 's3cret')]) {
      const r = await client(work, ['-c', `http.extraHeader=Authorization: ${header}`, 'ls-remote', server.url('repo.git')], {}, true)
      expect(r.code).not.toBe(0)
      expect(server.requests.at(-1)?.status).toBe(401)
    }
  })

  test('any user is accepted when no username is required', async () => {
    const anyUser = await startGitServer({ root, requireAuth: { token: 't0k' } })
    try {
      const r = await client(work, [
        '-c',
        `http.extraHeader=Authorization: ${basicAuthHeader('whoever', 't0k')}`,
        'ls-remote',
        anyUser.url('repo.git')
      ])
      expect(r.stdout).toContain(third)
    } finally {
      await anyUser.close()
    }
  })
})

describe('delay and stall', () => {
  test('delayMs delays each answer', async () => {
    const server = await startGitServer({ root, delayMs: 300 })
    try {
      const t0 = Date.now()
      await client(work, ['ls-remote', server.url('repo.git')])
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300)
    } finally {
      await server.close()
    }
  })

  test('stall accepts the request and never answers; close() still returns', async () => {
    const server = await startGitServer({ root, stall: true })
    const outcome = await new Promise<string>((resolve) => {
      const req = http.get(server.url('repo.git/info/refs?service=git-upload-pack'), () => resolve('answered'))
      req.on('error', () => resolve('error'))
      // Counted from the server's receipt of the request (an event), not from sending it: on a loaded machine
      // the request may take longer than the window to arrive.
      const wait = (): void => {
        if (server.requests.length === 0) return void setTimeout(wait, 10)
        setTimeout(() => {
          resolve('no answer')
          req.destroy()
        }, 400)
      }
      wait()
    })
    expect(outcome).toBe('no answer')
    expect(server.requests).toHaveLength(1)
    const t0 = Date.now()
    await server.close()
    expect(Date.now() - t0).toBeLessThan(2000)
  })

  test('git gives up on a stalled server with low-speed limits', async () => {
    const server = await startGitServer({ root, stall: true })
    try {
      const r = await client(
        work,
        ['-c', 'http.lowSpeedLimit=1000', '-c', 'http.lowSpeedTime=1', 'ls-remote', server.url('repo.git')],
        {},
        true
      )
      expect(r.code).not.toBe(0)
    } finally {
      await server.close()
    }
  })
})

test('symlink fixture points where it was told', async () => {
  expect(await readlink(path.join(work, 'src', 'link-to-readme'))).toBe('README.md')
})
