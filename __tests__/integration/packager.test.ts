/**
 * The packager end to end, in process, against real parts: git over smart
 * HTTP(S) from `git http-backend` on loopback, datasets from a loopback HTTP
 * server, GNU tar to list and unpack, and run.sh executed by /bin/sh.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { GitError, LimitError, packJob, SpecError, type PackOptions } from '../../src/core/index.js'
import type { Manifest } from '../../src/core/render/manifest.js'
import { serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import {
  commitFiles,
  makeBareClone,
  makeDanglingCommit,
  makeHistory,
  makeRepo,
  run,
  startGitServer,
  type GitServer
} from '../helpers/git-server.js'
import { gnuTarExtract, gnuTarList, listAll, tempDir } from '../helpers/workspace.js'

const CSV = 'id,value\n1,10\n2,20\n3,30\n'
const CSV_SHA = createHash('sha256').update(CSV).digest('hex')

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let gitV0: GitServer
let data: DataServer
let tip: string
let older: string
let dangling: string

const loopback: PackOptions = { allowProtocols: ['https', 'http'], allowPrivateNetwork: true, retryDelayMs: 10 }

beforeAll(async () => {
  root = await tempDir()
  const src = path.join(root.dir, 'src')
  older = (
    await makeRepo(src, {
      'main.sh': 'echo "rows: $(($(wc -l < "$DATA_FILE") - 1))"\necho "job: $JOB_ID"\n',
      'tool.sh': { content: '#!/bin/sh\necho tool\n', mode: 0o755 },
      'lib/link.sh': { symlink: '../main.sh' }
    })
  ).commit
  tip = await commitFiles(src, { VERSION: '2\n' }, 'second', '2024-02-03T04:05:06Z')
  dangling = await makeDanglingCommit(src, 'not on any branch')
  await makeBareClone(src, path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
  gitV0 = await startGitServer({ root: path.join(root.dir, 'served'), protocolV0: true })
  data = await startDataServer()
  data.route('/data/values.csv', serveBuffer(CSV))
})

afterAll(async () => {
  await Promise.all([git?.close(), gitV0?.close(), data?.close()])
  await root?.cleanup()
})

const spec = (over: Record<string, unknown> = {}) => ({
  git_url: git.url('repo.git'),
  commit_hash: tip,
  data_url: data.url('/data/values.csv'),
  command: 'sh main.sh',
  ...over
})

describe('packJob', () => {
  it('writes the job folder and an archive whose entries sit under {job_id}/, and run.sh runs from it', async () => {
    const out = path.join(root.dir, 'out-basic')
    git.requests.length = 0
    const result = await packJob(spec({ job_id: 'basic-1' }), { ...loopback, outDir: out })

    expect(result.jobId).toBe('basic-1')
    expect(result.commit).toBe(tip)
    expect(result.fetch).toBe('shallow')
    expect(result.commitTime).toBe('2024-02-03T04:05:06.000Z')
    expect(await listAll(out)).toEqual(['basic-1', 'basic-1.tar.gz'])
    expect(await listAll(path.join(out, 'basic-1'))).toEqual([
      '.dockerignore',
      'Dockerfile',
      'code',
      'data',
      'files.sha256',
      'job.json',
      'run.sh'
    ])
    expect(await listAll(path.join(out, 'basic-1', 'code'))).toEqual(['VERSION', 'lib', 'main.sh', 'tool.sh'])
    expect(result.datasets).toEqual([
      { name: 'values.csv', url: data.url('/data/values.csv'), size: CSV.length, sha256: CSV_SHA, pinned: false, cached: false }
    ])

    // The fast path was taken: one commit, one level deep, by id.
    const fetches = git.requests.filter((r) => r.method === 'POST' && r.pktLines.includes('command=fetch'))
    expect(fetches.length).toBeGreaterThan(0)
    expect(fetches[0]!.wants).toEqual([tip])
    expect(fetches[0]!.shallowLines).toContain('deepen 1')

    const archiveBytes = await readFile(result.archivePath)
    expect(createHash('sha256').update(archiveBytes).digest('hex')).toBe(result.archiveSha256)
    expect(archiveBytes.length).toBe(result.archiveBytes)
    const listing = await gnuTarList(result.archivePath)
    expect(listing.every((e) => e === 'basic-1/' || e.startsWith('basic-1/'))).toBe(true)
    expect(listing).toEqual(
      expect.arrayContaining([
        'basic-1/',
        'basic-1/Dockerfile',
        'basic-1/code/main.sh',
        'basic-1/code/lib/link.sh',
        'basic-1/data/values.csv',
        'basic-1/files.sha256',
        'basic-1/job.json',
        'basic-1/run.sh'
      ])
    )
    expect(listing.some((e) => e.includes('.git/') || e.endsWith('.git'))).toBe(false)

    // Unpack elsewhere and run, from another working directory, as the seed README says.
    const unpack = path.join(root.dir, 'unpack-basic')
    await run('mkdir', ['-p', unpack])
    await gnuTarExtract(result.archivePath, unpack)
    const ran = await run('sh', [path.join(unpack, 'basic-1', 'run.sh')], { cwd: '/' })
    expect(ran.stderr).toBe('')
    expect(ran.stdout).toBe('rows: 3\njob: basic-1\n')
    expect(ran.code).toBe(0)
    expect((await stat(path.join(unpack, 'basic-1', 'code', 'tool.sh'))).mode & 0o777).toBe(0o755)
    expect((await stat(path.join(unpack, 'basic-1', 'run.sh'))).mode & 0o777).toBe(0o755)

    const manifest = JSON.parse(await readFile(path.join(out, 'basic-1', 'job.json'), 'utf8')) as Manifest
    expect(manifest).toMatchObject({
      job_id: 'basic-1',
      spec: { git_url: git.url('repo.git'), commit_hash: tip, command: 'sh main.sh' },
      source: { commit: tip, commit_time: '2024-02-03T04:05:06.000Z' },
      datasets: [{ name: 'values.csv', size: CSV.length, sha256: CSV_SHA }],
      content_digest: result.contentDigest,
      packager: { name: 'job-packager' }
    })
  })

  it('gives byte-identical archives for the same spec and job id, and equal content digests for different ids', async () => {
    const a = await packJob(spec({ job_id: 'same' }), { ...loopback, outDir: path.join(root.dir, 'det-a') })
    const b = await packJob(spec({ job_id: 'same' }), { ...loopback, outDir: path.join(root.dir, 'det-b') })
    const c = await packJob(spec({ job_id: 'other' }), { ...loopback, outDir: path.join(root.dir, 'det-c') })
    expect(b.archiveSha256).toBe(a.archiveSha256)
    expect((await readFile(b.archivePath)).equals(await readFile(a.archivePath))).toBe(true)
    expect(c.contentDigest).toBe(a.contentDigest)
    expect(c.archiveSha256).not.toBe(a.archiveSha256)
    // A different command is different content.
    const d = await packJob(spec({ job_id: 'same', command: 'sh main.sh --x' }), { ...loopback, outDir: path.join(root.dir, 'det-d') })
    expect(d.contentDigest).not.toBe(a.contentDigest)
  })

  it('checks out an older commit by id, and resolves a unique short SHA', async () => {
    const full = await packJob(spec({ commit_hash: older, data_url: undefined }), { ...loopback, outDir: path.join(root.dir, 'older') })
    expect(full.commit).toBe(older)
    expect(await listAll(path.join(full.jobDir, 'code'))).not.toContain('VERSION')
    const short = await packJob(spec({ commit_hash: older.slice(0, 9), data_url: undefined }), {
      ...loopback,
      outDir: path.join(root.dir, 'short')
    })
    expect(short.commit).toBe(older)
    expect(short.contentDigest).toBe(full.contentDigest)
    const tipShort = await packJob(spec({ commit_hash: tip.slice(0, 7), data_url: undefined }), {
      ...loopback,
      outDir: path.join(root.dir, 'short-tip')
    })
    expect(tipShort.commit).toBe(tip)
    // Even a branch tip's prefix is proved unique against the history, which takes the full fetch.
    expect(tipShort.fetch).toBe('full')
  })

  it('falls back to a full fetch when a protocol v0 server refuses an unadvertised commit', async () => {
    gitV0.requests.length = 0
    const result = await packJob(spec({ git_url: gitV0.url('repo.git'), commit_hash: older, data_url: undefined }), {
      ...loopback,
      outDir: path.join(root.dir, 'v0')
    })
    expect(result.commit).toBe(older)
    expect(result.fetch).toBe('full')
    expect(gitV0.requests.every((r) => r.gitProtocol === undefined || !r.responsePreview.toString('latin1').includes('version 2'))).toBe(
      true
    )
  })

  it('fails clearly for a commit the server does not have, leaving nothing behind', async () => {
    const out = path.join(root.dir, 'missing')
    const missing = 'f'.repeat(40)
    await expect(packJob(spec({ commit_hash: missing }), { ...loopback, outDir: out })).rejects.toThrow(
      new RegExp(`Commit ${missing} was not found`)
    )
    expect(await listAll(out)).toEqual([])
    // A commit no branch or tag reaches is as good as missing for a v0 server.
    await expect(
      packJob(spec({ git_url: gitV0.url('repo.git'), commit_hash: dangling }), { ...loopback, outDir: out })
    ).rejects.toBeInstanceOf(GitError)
    expect(await listAll(out)).toEqual([])
  })

  it('refuses a short SHA that matches nothing', async () => {
    await expect(packJob(spec({ commit_hash: '0000000' }), { ...loopback, outDir: path.join(root.dir, 'nomatch') })).rejects.toThrow(
      /No commit starting with 0000000/
    )
  })

  it('refuses a repository that is not there, without retrying', async () => {
    git.requests.length = 0
    await expect(packJob(spec({ git_url: git.url('nope.git') }), { ...loopback, outDir: path.join(root.dir, 'nope') })).rejects.toThrow(
      /not found/
    )
    expect(git.requests.filter((r) => r.path.includes('nope.git')).length).toBeLessThanOrEqual(2)
  })

  it('refuses too many datasets and too long a command before any network, with the other problems', async () => {
    const out = path.join(root.dir, 'spec-limits')
    const [gitBefore, dataBefore] = [git.requests.length, data.requests.length]
    const many = Array.from({ length: 21 }, (_, i) => data.url(`/data/${i}.csv`))
    const err = await packJob(spec({ data_url: many, command: 'x'.repeat(64 * 1024 + 1), job_id: '-bad' }), {
      ...loopback,
      outDir: out
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SpecError)
    expect((err as SpecError).problems.map((p) => [p.field, p.problem])).toEqual([
      ['job_id', '"-bad" is not a safe name'],
      ['data_url', 'lists 21 datasets, more than the limit of 20 (maxDatasets)'],
      ['command', 'is 65537 bytes long, more than the limit of 64K (maxCommandBytes)']
    ])
    // A 10 MB command, as the CLI used to accept.
    await expect(packJob(spec({ command: 'y'.repeat(10 * 1024 * 1024) }), { ...loopback, outDir: out })).rejects.toThrow(
      /^Invalid command: is 10485760 bytes long, more than the limit of 64K \(maxCommandBytes\)\. Accepted: a command of at most 64K bytes; put a longer program in a script in the repository, or raise the limit \(maxCommandBytes: 10M\)\.$/
    )
    expect([git.requests.length, data.requests.length]).toEqual([gitBefore, dataBefore])
    expect(await listAll(out)).toEqual([])
    // The limits are options: a smaller one applies, and a larger one lets the same spec through.
    await expect(packJob(spec({ data_url: many.slice(0, 3) }), { ...loopback, outDir: out, maxDatasets: 2 })).rejects.toThrow(
      /lists 3 datasets, more than the limit of 2/
    )
    const long = await packJob(spec({ data_url: undefined, command: `: '${'z'.repeat(70 * 1024)}'` }), {
      ...loopback,
      outDir: out,
      maxCommandBytes: 128 * 1024
    })
    const manifest = JSON.parse(await readFile(path.join(long.jobDir, 'job.json'), 'utf8')) as { spec: { command: string } }
    expect(manifest.spec.command).toHaveLength(70 * 1024 + 4)
  })

  it('enforces checkout limits before writing the tree', async () => {
    const out = path.join(root.dir, 'limits')
    await expect(packJob(spec(), { ...loopback, outDir: out, maxCheckoutFiles: 2 })).rejects.toThrow(/more than 2 files, the limit/)
    await expect(packJob(spec(), { ...loopback, outDir: out, maxCheckoutBytes: 10 })).rejects.toBeInstanceOf(LimitError)
    expect(await listAll(out)).toEqual([])
  })

  it('refuses to overwrite an existing job', async () => {
    const out = path.join(root.dir, 'exists')
    await packJob(spec({ job_id: 'dup' }), { ...loopback, outDir: out })
    await expect(packJob(spec({ job_id: 'dup' }), { ...loopback, outDir: out })).rejects.toThrow(/already exists/)
    expect(await listAll(out)).toEqual(['dup', 'dup.tar.gz'])
  })

  it('blocks loopback datasets unless the private-network block is turned off', async () => {
    const out = path.join(root.dir, 'blocked')
    await expect(packJob(spec(), { ...loopback, allowPrivateNetwork: false, outDir: out })).rejects.toThrow(
      /Refused to connect to 127\.0\.0\.1/
    )
    expect(await listAll(out)).toEqual([])
  })

  it('packages several datasets, each with its own name, and a code-only job', async () => {
    data.route('/a/values.csv', serveBuffer('a\n')).route('/b/values.csv', serveBuffer('b\n'))
    const multi = await packJob(spec({ data_url: [data.url('/a/values.csv'), data.url('/b/values.csv')], command: 'cat "$DATA_DIR"/*' }), {
      ...loopback,
      outDir: path.join(root.dir, 'multi')
    })
    expect(multi.datasets.map((d) => d.name)).toEqual(['values.csv', 'values-2.csv'])
    const ran = await run('sh', [path.join(multi.jobDir, 'run.sh')])
    expect(ran.stdout).toBe('b\na\n') // the shell's glob: values-2.csv sorts first
    const codeOnly = await packJob(spec({ data_url: undefined, command: 'test -z "${DATA_FILE:-}" && ls "$DATA_DIR" | wc -l' }), {
      ...loopback,
      outDir: path.join(root.dir, 'code-only')
    })
    expect(codeOnly.datasets).toEqual([])
    expect((await run('sh', [path.join(codeOnly.jobDir, 'run.sh')])).stdout.trim()).toBe('0')
  })
})

describe('a short SHA shared by a branch tip and an older commit', () => {
  let url: string
  let older: string
  let newer: string
  let prefix: string
  beforeAll(async () => {
    // Deterministic commits (fixed dates and contents): two of the first 6,500 share their first 7 hex digits
    // (a birthday collision; about 16,000 commits are needed on average, these happen to collide sooner).
    const src = path.join(root.dir, 'collide')
    const shas = await makeHistory(src, 6500)
    const seen = new Map<string, string>()
    for (const sha of shas) {
      const first = seen.get(sha.slice(0, 7))
      if (first) {
        ;[older, newer, prefix] = [first, sha, sha.slice(0, 7)]
        break
      }
      seen.set(sha.slice(0, 7), sha)
    }
    // The newer one is advertised as a branch tip; both are in main's history.
    await run('git', ['branch', 'release', newer], { cwd: src })
    await makeBareClone(src, path.join(root.dir, 'served'), 'collide.git')
    url = git.url('collide.git')
  })

  it('is refused as ambiguous, listing both commits, instead of taking the tip', async () => {
    expect(prefix).toMatch(/^[0-9a-f]{7}$/)
    expect(older.slice(0, 7)).toBe(newer.slice(0, 7))
    const out = path.join(root.dir, 'ambiguous')
    const err = await packJob(spec({ git_url: url, commit_hash: prefix, data_url: undefined }), { ...loopback, outDir: out }).catch(
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(GitError)
    const shown = [older, newer].sort().map((c) => c.slice(0, 12))
    expect((err as Error).message).toBe(
      `commit_hash ${prefix} is ambiguous in ${url}: it matches 2 commits (${shown.join(', ')}). Give more hex digits, or the full commit id.`
    )
    expect(await listAll(out)).toEqual([])
  })

  it('resolves once it is long enough to match one commit, the tip or the older one', async () => {
    for (const commit of [newer, older]) {
      const result = await packJob(spec({ git_url: url, commit_hash: commit.slice(0, 12), data_url: undefined }), {
        ...loopback,
        outDir: path.join(root.dir, `unambiguous-${commit}`)
      })
      expect(result.commit).toBe(commit)
    }
  })
})

describe('packJob over HTTPS with a token', () => {
  it('sends the token as a header scoped to the git host and never writes it anywhere', async () => {
    const token = 'canary-0123456789abcdef'
    const secure = await startGitServer({ root: path.join(root.dir, 'served'), https: true, requireAuth: { token } })
    const saved = process.env.GIT_SSL_CAINFO
    process.env.GIT_SSL_CAINFO = secure.caFile
    const lines: string[] = []
    const logger = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      debug: (m: string) => lines.push(m),
      group: async <T>(n: string, fn: () => Promise<T>) => (lines.push(n), fn())
    }
    try {
      const out = path.join(root.dir, 'https')
      await expect(
        packJob(spec({ git_url: secure.url('repo.git'), data_url: undefined }), { ...loopback, outDir: out, logger })
      ).rejects.toThrow(/Authentication to .* failed/)
      // The token goes to its one origin only: by default the GitHub server, so a loopback host gets nothing…
      const messages: string[] = []
      await expect(
        packJob(spec({ git_url: secure.url('repo.git'), data_url: undefined, job_id: 'withheld' }), {
          ...loopback,
          outDir: out,
          token,
          logger: { ...logger, info: (m: string) => messages.push(m) }
        })
      ).rejects.toThrow(/Authentication to .* failed/)
      expect(messages.join('\n')).toContain(
        `The token is not sent to ${new URL(secure.url('repo.git')).origin}: it is only sent to https://github.com (tokenOrigin).`
      )
      expect(secure.requests.filter((r) => r.headers.authorization)).toEqual([])
      // …and with token-origin naming the host, it is sent.
      const result = await packJob(spec({ git_url: secure.url('repo.git'), data_url: undefined, job_id: 'private' }), {
        ...loopback,
        outDir: out,
        token,
        tokenOrigin: new URL(secure.url('repo.git')).origin,
        logger
      })
      expect(result.commit).toBe(tip)
      const authorized = secure.requests.filter((r) => r.headers.authorization)
      expect(authorized.length).toBeGreaterThan(0)
      const archive = await readFile(result.archivePath)
      const tree = (await run('grep', ['-rlF', token, result.jobDir], { allowFailure: true })).stdout
      const forms = [token, Buffer.from(token).toString('base64'), Buffer.from(`x-access-token:${token}`).toString('base64')]
      for (const form of forms) {
        expect(lines.join('\n')).not.toContain(form)
        expect(archive.includes(form)).toBe(false)
      }
      expect(tree).toBe('')
      const unpacked = path.join(root.dir, 'https-unpacked')
      await run('mkdir', ['-p', unpacked])
      await gnuTarExtract(result.archivePath, unpacked)
      expect(
        (await run('grep', ['-rlF', forms[2]!, unpacked], { allowFailure: true })).stdout +
          (await run('grep', ['-rlF', token, unpacked], { allowFailure: true })).stdout
      ).toBe('')
    } finally {
      process.env.GIT_SSL_CAINFO = saved
      await secure.close()
    }
  })
})
