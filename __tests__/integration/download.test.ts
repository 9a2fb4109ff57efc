/**
 * Dataset downloads against a real HTTP server on loopback that misbehaves in
 * every way the issue lists: redirects of every kind, errors with and without
 * retry, truncated, slow, stalled and oversized bodies, digest mismatches.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DirectoryDatasetCache, DownloadError, LimitError, packJob, Redactor, silentLogger } from '../../src/core/index.js'
import { cliNamer } from '../../src/cli/cli-names.js'
import { isNonPublicAddress } from '../../src/core/download/address-policy.js'
import { downloadFile, type DownloadRequest } from '../../src/core/download/http-download.js'
import {
  declaredTooLarge,
  drip,
  flaky,
  largeStream,
  rateLimited,
  redirect,
  redirectChain,
  redirectLoop,
  respondStatus,
  serveBuffer,
  stall,
  startDataServer,
  truncated,
  type DataServer
} from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { listAll, tempDir } from '../helpers/workspace.js'

const BODY = Buffer.from('x,y\n1,2\n'.repeat(1000))
const BODY_SHA = createHash('sha256').update(BODY).digest('hex')

let root: { dir: string; cleanup: () => Promise<void> }
let data: DataServer
let n = 0

beforeAll(async () => {
  root = await tempDir()
  data = await startDataServer()
  data.route('/ok.csv', serveBuffer(BODY))
})
afterAll(async () => {
  await data?.close()
  await root?.cleanup()
})

function request(url: string, over: Partial<DownloadRequest> = {}): DownloadRequest {
  return {
    url: new URL(url),
    dest: path.join(root.dir, `dl-${++n}`),
    label: 'data/test',
    maxBytes: 10 * 1024 * 1024,
    idleTimeoutMs: 2000,
    maxRedirects: 5,
    allowHttp: true,
    allowPrivateNetwork: true,
    attempts: 3,
    retryDelayMs: 10,
    logger: silentLogger,
    redactor: new Redactor(),
    ...over
  }
}

async function downloaded(req: DownloadRequest): Promise<Buffer> {
  const result = await downloadFile(req)
  const bytes = await readFile(req.dest)
  expect(result).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') })
  return bytes
}

describe('redirects', () => {
  it('follows absolute and relative redirects of every kind', async () => {
    for (const status of [301, 302, 303, 307, 308] as const) {
      data.route(`/r${status}`, redirect('/ok.csv', status))
      expect((await downloaded(request(data.url(`/r${status}`)))).equals(BODY)).toBe(true)
    }
    data.route('/abs', redirect(data.url('/ok.csv')))
    data.route('/dir/rel', redirect('../ok.csv'))
    expect((await downloaded(request(data.url('/abs')))).equals(BODY)).toBe(true)
    expect((await downloaded(request(data.url('/dir/rel')))).equals(BODY)).toBe(true)
  })

  it('follows a chain up to the limit and no further', async () => {
    const ok = redirectChain(data, 5, '/ok.csv', { prefix: '/chain5' })
    expect((await downloaded(request(data.url(ok)))).equals(BODY)).toBe(true)
    const tooLong = redirectChain(data, 6, '/ok.csv', { prefix: '/chain6' })
    await expect(downloadFile(request(data.url(tooLong)))).rejects.toThrow(/more than 5 redirects/)
    const loop = redirectLoop(data, '/loop')
    await expect(downloadFile(request(data.url(loop)))).rejects.toThrow(/more than 5 redirects/)
  })

  it.each([
    ['file:///etc/passwd', /redirected to a file: URL/],
    ['ftp://127.0.0.1/x', /redirected to a ftp: URL/],
    ['data:text/plain,hello', /redirected to a data: URL/],
    ['http://[::1', /invalid URL/]
  ])('refuses a redirect to %s', async (location, why) => {
    data.route('/bad-redirect', redirect(location))
    const req = request(data.url('/bad-redirect'))
    await expect(downloadFile(req)).rejects.toThrow(why)
    expect(await listAll(root.dir)).not.toContain(path.basename(req.dest))
  })

  it('refuses a blocked address at every hop, by literal and after DNS', async () => {
    // Every server a test can reach is on loopback, so the test blocks all of
    // loopback but 127.0.0.1: the first hop is allowed, the redirect is not.
    const onlyFirst = (ip: string) => ip !== '127.0.0.1'
    const port = new URL(data.url('/')).port
    data.route('/to-other-loopback', redirect(`http://127.0.0.2:${port}/ok.csv`))
    data.route('/to-decimal', redirect(`http://2130706434:${port}/ok.csv`)) // 127.0.0.2
    data.route('/to-mapped', redirect(`http://[::ffff:127.0.0.2]:${port}/ok.csv`))
    for (const p of ['/to-other-loopback', '/to-decimal', '/to-mapped']) {
      await expect(downloadFile(request(data.url(p), { blockedAddress: onlyFirst }))).rejects.toThrow(
        /Refused to connect to .*(127\.0\.0\.2|7f00:2)/
      )
    }
    // A host name is checked on the addresses DNS gives, i.e. where the socket would really go.
    await expect(
      downloadFile(request(data.url('/ok.csv').replace('127.0.0.1', 'localhost'), { blockedAddress: () => true }))
    ).rejects.toThrow(/Refused to connect to localhost \(/)
    // With the rule off the same redirect is followed (and meets no server at
    // 127.0.0.2): the refusals above are the rule's doing.
    await expect(downloadFile(request(data.url('/to-other-loopback'), { attempts: 1 }))).rejects.toThrow(
      /127\.0\.0\.2:\d+\/ok\.csv: ECONNREFUSED/
    )
  })

  it('with the default rule, refuses loopback, link-local metadata and their other spellings', async () => {
    for (const url of [
      data.url('/ok.csv'),
      'http://169.254.169.254/latest/meta-data/',
      'http://2130706433/x',
      'http://[::1]/x',
      'http://[::ffff:7f00:1]/x',
      'http://0x7f.0.0.1/x'
    ]) {
      await expect(downloadFile(request(url, { allowPrivateNetwork: false }))).rejects.toThrow(/Refused to connect/)
    }
    await expect(
      downloadFile(request(data.url('/ok.csv').replace('127.0.0.1', 'localhost'), { allowPrivateNetwork: false }))
    ).rejects.toThrow(/Refused to connect to localhost/)
  })

  it('refuses IPv6 forms that carry a non-public IPv4 address: IPv4-compatible, 6to4, Teredo', async () => {
    for (const [url, shown] of [
      ['http://[::127.0.0.1]/x', '::7f00:1'], // IPv4-compatible: refused outright
      ['http://[::169.254.169.254]/x', '::a9fe:a9fe'],
      ['http://[2002:7f00:1::1]/x', '2002:7f00:1::1'], // 6to4 of 127.0.0.1
      ['http://[2002:a9fe:a9fe::]/x', '2002:a9fe:a9fe::'], // 6to4 of the metadata address
      ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x', '2001:0:4136:e378:8000:63bf:3fff:fdd2'], // Teredo: refused outright
      ['http://[::ffff:0:127.0.0.1]/x', '::ffff:0:7f00:1'] // IPv4-translated
    ]) {
      await expect(downloadFile(request(url!, { allowPrivateNetwork: false, attempts: 1 }))).rejects.toThrow(
        `Refused to connect to [${shown}] (${shown})`
      )
    }
  })

  it('judges 6to4 by the IPv4 address inside, and leaves other public IPv6 alone', () => {
    expect(isNonPublicAddress('2002:808:808::1')).toBe(false) // 8.8.8.8
    expect(isNonPublicAddress('2002:c0a8:101::1')).toBe(true) // 192.168.1.1
    expect(isNonPublicAddress('::8.8.8.8')).toBe(true) // IPv4-compatible, even of a public address
    expect(isNonPublicAddress('2001:0:808:808::1')).toBe(true) // Teredo, whatever it embeds
    expect(isNonPublicAddress('2001:4860:4860::8888')).toBe(false)
    expect(isNonPublicAddress('::ffff:8.8.8.8')).toBe(false)
    expect(isNonPublicAddress('::1')).toBe(true)
    expect(isNonPublicAddress('::')).toBe(true)
  })
})

describe('errors and retries', () => {
  it('does not retry a 404 and says which status came back', async () => {
    data.route('/missing.csv', respondStatus(404))
    await expect(downloadFile(request(data.url('/missing.csv')))).rejects.toThrow(/answered HTTP 404/)
    expect(data.hits('/missing.csv')).toBe(1)
  })

  it('retries 503 and 429 with back-off and then succeeds', async () => {
    data.route('/flaky.csv', flaky(2, BODY))
    expect((await downloaded(request(data.url('/flaky.csv')))).equals(BODY)).toBe(true)
    expect(data.hits('/flaky.csv')).toBe(3)
    data.route('/limited.csv', rateLimited(1, 0, BODY))
    expect((await downloaded(request(data.url('/limited.csv')))).equals(BODY)).toBe(true)
    expect(data.hits('/limited.csv')).toBe(2)
  })

  it('gives up after the attempts are used', async () => {
    data.route('/down.csv', respondStatus(503))
    await expect(downloadFile(request(data.url('/down.csv'), { attempts: 2 }))).rejects.toThrow(/HTTP 503/)
    expect(data.hits('/down.csv')).toBe(2)
  })

  it('detects a body shorter than its Content-Length, and retries it', async () => {
    data.route('/short.csv', truncated(BODY.subarray(0, 100), BODY.length))
    const req = request(data.url('/short.csv'), { attempts: 2 })
    await expect(downloadFile(req)).rejects.toThrow(/broke after 100 of 8000 bytes|received 100 bytes but Content-Length said 8000/)
    expect(data.hits('/short.csv')).toBe(2)
    expect(await listAll(root.dir)).not.toContain(path.basename(req.dest))
  })

  it('abandons a stalled or dripping server after the idle timeout', async () => {
    data.route('/stall.csv', stall({ headers: true, contentLength: 10 }))
    data.route('/drip.csv', drip('abcdef', 1500))
    await expect(downloadFile(request(data.url('/stall.csv'), { idleTimeoutMs: 300, attempts: 1 }))).rejects.toThrow(/idle timeout/)
    await expect(downloadFile(request(data.url('/drip.csv'), { idleTimeoutMs: 300, attempts: 1 }))).rejects.toThrow(
      /idle timeout|broke after/
    )
    // A slow but steady body is fine.
    data.route('/slow.csv', drip('abc', 50))
    expect((await downloaded(request(data.url('/slow.csv'), { idleTimeoutMs: 1000 }))).toString()).toBe('abc')
  })

  it('refuses a body over the size limit, declared or not, without retrying', async () => {
    data.route('/huge-declared', declaredTooLarge(2 ** 40))
    data.route('/huge-chunked', largeStream(5 * 1024 * 1024, { declareLength: false }))
    await expect(downloadFile(request(data.url('/huge-declared'), { maxBytes: 1024 * 1024 }))).rejects.toThrow(LimitError)
    expect(data.hits('/huge-declared')).toBe(1)
    const req = request(data.url('/huge-chunked'), { maxBytes: 1024 * 1024 })
    await expect(downloadFile(req)).rejects.toThrow(/more than 1048576 bytes received/)
    expect(data.hits('/huge-chunked')).toBe(1)
    expect(await listAll(root.dir)).not.toContain(path.basename(req.dest))
  })

  it('holds a download to what is left of the total of all datasets, declared or not', async () => {
    data.route('/total-declared.csv', serveBuffer(BODY))
    data.route('/total-chunked', largeStream(64 * 1024, { declareLength: false }))
    const totalBytes = { before: 1_000_000, max: 1_000_000 + 4096 }
    await expect(downloadFile(request(data.url('/total-declared.csv'), { totalBytes }))).rejects.toThrow(
      `data/test: the server announces ${BODY.length} bytes; with the 1000000 bytes of the job's other datasets that is more than the limit of 1004096 on all datasets together (maxTotalDatasetBytes)`
    )
    const req = request(data.url('/total-chunked'), { totalBytes })
    const err = await downloadFile(req).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LimitError)
    expect((err as Error).message).toBe(
      "data/test: more than 4096 bytes received, which with the 1000000 bytes of the job's other datasets is more than the limit of 1004096 on all datasets together (maxTotalDatasetBytes)"
    )
    // A limit, not a network failure: never retried.
    expect([data.hits('/total-declared.csv'), data.hits('/total-chunked')]).toEqual([1, 1])
    expect(await listAll(root.dir)).not.toContain(path.basename(req.dest))
    // With room left, the same download goes through.
    expect(
      (await downloaded(request(data.url('/total-declared.csv'), { totalBytes: { before: 1_000_000, max: 2_000_000 } }))).equals(BODY)
    ).toBe(true)
  })

  it('checks a pinned sha256 and names both digests on a mismatch', async () => {
    expect((await downloaded(request(data.url('/ok.csv'), { expectedSha256: BODY_SHA }))).equals(BODY)).toBe(true)
    const wrong = 'e'.repeat(64)
    const err = await downloadFile(request(data.url('/ok.csv'), { expectedSha256: wrong })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DownloadError)
    expect((err as Error).message).toContain(`expected ${wrong}, got ${BODY_SHA}`)
    expect(data.requests.filter((r) => r.pathname === '/ok.csv').length).toBeGreaterThan(0)
  })

  it('redacts query strings and credentials in messages', async () => {
    data.route('/secret.csv', respondStatus(404))
    await expect(downloadFile(request(data.url('/secret.csv?sig=topsecret')))).rejects.toThrow(/secret\.csv\?\*\*\*.*404/)
    await expect(downloadFile(request(data.url('/secret.csv?sig=topsecret')))).rejects.not.toThrow(/topsecret/)
  })

  it('stops at once when cancelled', async () => {
    data.route('/stall2.csv', stall({ headers: true, contentLength: 10 }))
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('cancelled by test')), 200)
    const started = Date.now()
    await expect(downloadFile(request(data.url('/stall2.csv'), { idleTimeoutMs: 30000, signal: controller.signal }))).rejects.toThrow(
      /cancelled by test/
    )
    expect(Date.now() - started).toBeLessThan(10000)
  })
})

describe('datasets in a job', () => {
  let git: GitServer
  let commit: string
  beforeAll(async () => {
    commit = (await makeRepo(path.join(root.dir, 'src'), { 'a.txt': 'a\n' })).commit
    await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'r.git')
    git = await startGitServer({ root: path.join(root.dir, 'served') })
  })
  afterAll(async () => {
    await git?.close()
  })

  it('reuses a cached dataset by its pinned digest and skips the network', async () => {
    data.route('/cached.csv', serveBuffer(BODY))
    const cache = new DirectoryDatasetCache(path.join(root.dir, 'cache'))
    const opts = { allowProtocols: ['https', 'http'] as const, allowPrivateNetwork: true, datasetCache: cache }
    const spec = {
      git_url: git.url('r.git'),
      commit_hash: commit,
      data_url: [{ url: data.url('/cached.csv'), sha256: BODY_SHA }],
      command: 'true'
    }
    const first = await packJob(spec, { ...opts, allowProtocols: [...opts.allowProtocols], outDir: path.join(root.dir, 'c1') })
    const second = await packJob(spec, { ...opts, allowProtocols: [...opts.allowProtocols], outDir: path.join(root.dir, 'c2') })
    expect(first.datasets[0]!.cached).toBe(false)
    expect(second.datasets[0]!.cached).toBe(true)
    expect(data.hits('/cached.csv')).toBe(1)
    expect(second.contentDigest).toBe(first.contentDigest)
  })

  it('re-hashes what a cache restores: a corrupted entry is warned about, dropped, and the dataset downloaded', async () => {
    data.route('/rehash.csv', serveBuffer(BODY))
    const dir = path.join(root.dir, 'rehash-cache')
    const cache = new DirectoryDatasetCache(dir)
    const warnings: string[] = []
    const opts = {
      allowProtocols: ['http' as const],
      allowPrivateNetwork: true,
      datasetCache: cache,
      logger: { ...silentLogger, warn: (m: string) => void (isBaseImageNote(m) || warnings.push(m)) }
    }
    const spec = {
      git_url: git.url('r.git'),
      commit_hash: commit,
      data_url: [{ url: data.url('/rehash.csv'), sha256: BODY_SHA }],
      command: 'true'
    }
    await packJob(spec, { ...opts, outDir: path.join(root.dir, 'rh1') })
    expect(await readFile(path.join(dir, BODY_SHA))).toEqual(BODY)
    await writeFile(path.join(dir, BODY_SHA), 'other bytes')
    const second = await packJob(spec, { ...opts, outDir: path.join(root.dir, 'rh2') })
    expect(second.datasets[0]!.cached).toBe(false)
    expect(data.hits('/rehash.csv')).toBe(2)
    expect(await readFile(path.join(root.dir, 'rh2', second.jobId, 'data', 'rehash.csv'))).toEqual(BODY)
    expect(warnings).toEqual([
      `data/rehash.csv: the copy in the cache folder ${dir} has sha256 ${createHash('sha256').update('other bytes').digest('hex')}, not the pinned ${BODY_SHA}; it was not used, and the dataset is downloaded instead.`
    ])
    // Dropped, then saved again by the successful pack.
    expect(await readFile(path.join(dir, BODY_SHA))).toEqual(BODY)
    expect(second.datasets[0]!.saved).toBe(true)
  })

  it('saves only after a successful pack, and a save that fails is a warning', async () => {
    data.route('/save-late.csv', serveBuffer(BODY))
    const dir = path.join(root.dir, 'late-cache')
    const dataset = { url: data.url('/save-late.csv'), sha256: BODY_SHA }
    const opts = { allowProtocols: ['http' as const], allowPrivateNetwork: true, datasetCache: new DirectoryDatasetCache(dir) }
    // The commit does not exist: the pack fails, whether or not the download finished first.
    await expect(
      packJob(
        { git_url: git.url('r.git'), commit_hash: 'f'.repeat(40), data_url: [dataset], command: 'true' },
        { ...opts, outDir: path.join(root.dir, 'late1') }
      )
    ).rejects.toThrow()
    expect(existsSync(dir)).toBe(false)

    // A cache that cannot be written (its folder is a file): the job is packaged all the same.
    await writeFile(dir, 'not a folder')
    const warnings: string[] = []
    const ok = await packJob(
      { git_url: git.url('r.git'), commit_hash: commit, data_url: [dataset], command: 'true' },
      {
        ...opts,
        outDir: path.join(root.dir, 'late2'),
        logger: { ...silentLogger, warn: (m: string) => void (isBaseImageNote(m) || warnings.push(m)) }
      }
    )
    expect(ok.datasets[0]!.saved).toBe(false)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^Could not save data\/save-late\.csv to the cache folder .*: .* The job is packaged; the next run downloads it again\.$/
    )
  })

  it('does not cache a dataset without a pinned digest, and says so once', async () => {
    data.route('/unpinned.csv', serveBuffer(BODY))
    const dir = path.join(root.dir, 'unpinned-cache')
    const infos: string[] = []
    const result = await packJob(
      {
        git_url: git.url('r.git'),
        commit_hash: commit,
        data_url: [data.url('/unpinned.csv'), data.url('/unpinned.csv?b')],
        command: 'true'
      },
      {
        allowProtocols: ['http'],
        allowPrivateNetwork: true,
        names: cliNamer,
        outDir: path.join(root.dir, 'unpinned'),
        datasetCache: new DirectoryDatasetCache(dir),
        logger: { ...silentLogger, info: (m: string) => infos.push(m) }
      }
    )
    expect(infos.filter((m) => m.startsWith('Not cached'))).toEqual([
      'Not cached: data/unpinned.csv, data/unpinned-2.csv (no --data-sha256). The dataset cache is keyed by the pinned digest, which is also what checks a restored file; without one the bytes are downloaded every time.'
    ])
    expect(result.datasets.map((d) => [d.pinned, d.saved])).toEqual([
      [false, undefined],
      [false, undefined]
    ])
    expect(existsSync(dir)).toBe(false)
  })

  it('enforces the total of all datasets across the job, cached ones included, naming the option', async () => {
    const chunk = Buffer.alloc(600 * 1024, 'a')
    const chunkSha = createHash('sha256').update(chunk).digest('hex')
    data.route('/part-1.csv', serveBuffer(chunk)).route('/part-2.csv', serveBuffer(chunk))
    data.route('/part-3', largeStream(600 * 1024, { declareLength: false }))
    const job = (urls: unknown[]) => ({ git_url: git.url('r.git'), commit_hash: commit, data_url: urls, command: 'true' })
    const opts = { allowProtocols: ['http' as const], allowPrivateNetwork: true, maxTotalDatasetBytes: 1024 * 1024, names: cliNamer }
    const out = path.join(root.dir, 'total')
    // Declared: the second announces 600 KiB with 600 KiB already there.
    await expect(packJob(job([data.url('/part-1.csv'), data.url('/part-2.csv')]), { ...opts, outDir: out })).rejects.toThrow(
      /^data\/part-2\.csv: the server announces 614400 bytes; with the 614400 bytes of the job's other datasets that is more than the limit of 1048576 on all datasets together \(--max-total-dataset-bytes\)$/
    )
    // Not declared: stopped as the bytes arrive.
    await expect(packJob(job([data.url('/part-1.csv'), data.url('/part-3')]), { ...opts, outDir: out })).rejects.toThrow(
      /^data\/part-3: more than 434176 bytes received, .* \(--max-total-dataset-bytes\)$/
    )
    // From the cache: the bytes count all the same.
    const cache = new DirectoryDatasetCache(path.join(root.dir, 'total-cache'))
    await packJob(job([{ url: data.url('/part-2.csv'), sha256: chunkSha }]), {
      ...opts,
      outDir: path.join(root.dir, 'total-fill'),
      datasetCache: cache
    })
    const hits = data.hits('/part-2.csv')
    await expect(
      packJob(job([data.url('/part-1.csv'), { url: data.url('/part-2.csv'), sha256: chunkSha }]), {
        ...opts,
        outDir: out,
        datasetCache: cache
      })
    ).rejects.toThrow(/^data\/part-2\.csv: more than 434176 bytes received, .* \(--max-total-dataset-bytes\)$/)
    expect(data.hits('/part-2.csv')).toBe(hits)
    expect(await listAll(out)).toEqual([])
    // Within the total, the same datasets are packaged.
    const ok = await packJob(job([data.url('/part-1.csv'), data.url('/part-2.csv')]), {
      ...opts,
      maxTotalDatasetBytes: 1200 * 1024,
      outDir: path.join(root.dir, 'total-ok')
    })
    expect(ok.datasets.map((d) => d.size)).toEqual([614400, 614400])
  })

  it('cancels the checkout when a download fails, and leaves nothing behind', async () => {
    data.route('/gone.csv', respondStatus(410))
    const out = path.join(root.dir, 'fail')
    await expect(
      packJob(
        { git_url: git.url('r.git'), commit_hash: commit, data_url: data.url('/gone.csv'), command: 'true' },
        { allowProtocols: ['http'], allowPrivateNetwork: true, outDir: out }
      )
    ).rejects.toThrow(/HTTP 410/)
    expect(await listAll(out)).toEqual([])
  })
})

/** The base image's own warning (no registry on this machine) is not what these tests are about. */
function isBaseImageNote(message: string): boolean {
  return message.startsWith('base image floats')
}
