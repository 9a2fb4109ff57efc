/**
 * The data token (data-token / $JOB_PACKAGER_DATA_TOKEN with its one origin)
 * against real HTTP servers on loopback: two data servers on different
 * ports are two origins. What each server received is read from its request
 * log, so "the token reached only its origin" is observed, not assumed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { DownloadError, packJob, Redactor, silentLogger, SpecError, type Logger } from '../../src/core/index.js'
import { cliNamer } from '../../src/cli/cli-names.js'
import { actionNamer } from '../../src/action/input-helper.js'
import { downloadFile, type DownloadRequest } from '../../src/core/download/http-download.js'
import { redirect, requireBearer, serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { listAll, tempDir } from '../helpers/workspace.js'

const TOKEN = 'dtok_Zq8s1VvYkX3pL0aN7cR2mW5e'
const PRIVATE = Buffer.from('id,secret\n1,alpha\n2,beta\n'.repeat(200))
const PUBLIC = Buffer.from('id,value\n1,2\n'.repeat(300))
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

let root: { dir: string; cleanup: () => Promise<void> }
/** The token's origin. */
let home: DataServer
/** Another origin: an object store behind presigned redirects, or any other host. */
let store: DataServer
let n = 0

beforeAll(async () => {
  root = await tempDir()
  ;[home, store] = await Promise.all([startDataServer(), startDataServer()])
  home.route('/private.csv', requireBearer(TOKEN, PRIVATE))
  home.route('/old/private.csv', redirect('/private.csv'))
  // A presigned object-store URL: the query carries the authorisation; a store refuses a second one in a header.
  store.route('/bucket/private.csv', (req, res, ctx) =>
    req.headers.authorization ? requireBearer('never', '')(req, res, ctx) : serveBuffer(PRIVATE)(req, res, ctx)
  )
  store.route('/public.csv', serveBuffer(PUBLIC))
  home.route('/presigned', (_req, res, ctx) => redirect(store.url('/bucket/private.csv?X-Sig=abc123&X-Expires=60'))(_req, res, ctx))
  store.route('/back-home', (_req, res, ctx) => redirect(home.url('/private.csv'))(_req, res, ctx))
  home.route('/via-store', (_req, res, ctx) => redirect(store.url('/back-home'))(_req, res, ctx))
})
afterAll(async () => {
  await Promise.all([home?.close(), store?.close()])
  await root?.cleanup()
})

function request(url: string, over: Partial<DownloadRequest> = {}): DownloadRequest {
  return {
    url: new URL(url),
    dest: path.join(root.dir, `dl-${++n}`),
    label: 'data/test',
    maxBytes: 10 * 1024 * 1024,
    idleTimeoutMs: 5000,
    maxRedirects: 5,
    allowHttp: true,
    allowPrivateNetwork: true,
    attempts: 1,
    retryDelayMs: 10,
    logger: silentLogger,
    redactor: new Redactor(),
    auth: { token: TOKEN, origin: home.origin },
    names: cliNamer,
    ...over
  }
}

/** The Authorization headers each server received for `pathname` since `from`. */
function authSeen(server: DataServer, pathname: string, from = 0): Array<string | undefined> {
  return server.requests
    .slice(from)
    .filter((r) => r.pathname === pathname)
    .map((r) => r.headers.authorization)
}

describe('where the data token goes', () => {
  it('is sent as a Bearer header to its origin', async () => {
    const mark = home.requests.length
    const res = await downloadFile(request(home.url('/private.csv')))
    expect(res.sha256).toBe(sha(PRIVATE))
    expect(authSeen(home, '/private.csv', mark)).toEqual([`Bearer ${TOKEN}`])
  })

  it('follows a redirect within its origin', async () => {
    const mark = home.requests.length
    await downloadFile(request(home.url('/old/private.csv')))
    expect(authSeen(home, '/old/private.csv', mark)).toEqual([`Bearer ${TOKEN}`])
    expect(authSeen(home, '/private.csv', mark)).toEqual([`Bearer ${TOKEN}`])
  })

  it('is not sent after a redirect to another origin: a presigned URL works without it', async () => {
    const [h, s] = [home.requests.length, store.requests.length]
    const res = await downloadFile(request(home.url('/presigned')))
    expect(res.sha256).toBe(sha(PRIVATE))
    expect(authSeen(home, '/presigned', h)).toEqual([`Bearer ${TOKEN}`])
    expect(authSeen(store, '/bucket/private.csv', s)).toEqual([undefined])
    expect(store.requests.slice(s).every((r) => JSON.stringify(r.headers).includes(TOKEN) === false)).toBe(true)
  })

  it('is not sent to another origin at all', async () => {
    const s = store.requests.length
    await downloadFile(request(store.url('/public.csv')))
    expect(authSeen(store, '/public.csv', s)).toEqual([undefined])
  })

  it('is not sent back to its origin once a redirect has left it, and the 401 says why', async () => {
    const h = home.requests.length
    const err = (await downloadFile(request(home.url('/via-store'))).catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(DownloadError)
    expect(authSeen(home, '/via-store', h)).toEqual([`Bearer ${TOKEN}`])
    expect(authSeen(home, '/private.csv', h)).toEqual([undefined])
    expect(err.message).toBe(
      `${home.url('/private.csv')} answered HTTP 401 Unauthorized. The data token was not sent: the download was redirected away from ${home.origin} (--data-token-origin), and the token never follows a redirect to another origin.`
    )
  })
})

describe('401 and 403: what to do', () => {
  it('without a token: suggests the data token and its origin, named for the CLI and the Action', async () => {
    const err = (await downloadFile(request(home.url('/private.csv'), { auth: undefined })).catch((e: unknown) => e)) as Error
    expect(err.message).toBe(
      `${home.url('/private.csv')} answered HTTP 401 Unauthorized. A private dataset needs a token: set $JOB_PACKAGER_DATA_TOKEN and --data-token-origin ${home.origin} (it is sent only to that origin).`
    )
    const fromAction = (await downloadFile(request(home.url('/private.csv'), { auth: undefined, names: actionNamer })).catch(
      (e: unknown) => e
    )) as Error
    expect(fromAction.message).toContain(`set data-token and data-token-origin: ${home.origin}`)
  })

  it('with the token held back for another origin: says which origin it is for', async () => {
    const err = (await downloadFile(request(home.url('/private.csv'), { auth: { token: TOKEN, origin: store.origin } })).catch(
      (e: unknown) => e
    )) as Error
    expect(err.message).toContain(`The data token was not sent: ${home.origin} is not --data-token-origin (${store.origin})`)
  })

  it('a refused token: says so, without showing it', async () => {
    const err = (await downloadFile(request(home.url('/private.csv'), { auth: { token: 'wrong-token-value', origin: home.origin } })).catch(
      (e: unknown) => e
    )) as Error
    expect(err.message).toContain('The server refused the data token: check that $JOB_PACKAGER_DATA_TOKEN is valid')
    expect(err.message).not.toContain('wrong-token-value')
  })
})

describe('in a job', () => {
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

  const spec = (): Record<string, unknown> => ({
    git_url: git.url('r.git'),
    commit_hash: commit,
    data_url: [home.url('/private.csv'), home.url('/presigned'), store.url('/public.csv')],
    command: 'true'
  })

  it('reaches its origin only; the token is in no log line, not in job.json, not in the archive', async () => {
    const lines: string[] = []
    const logger: Logger = {
      info: (m) => lines.push(m),
      warn: (m) => lines.push(m),
      debug: (m) => lines.push(m),
      group: async (_name, fn) => fn()
    }
    const [h, s] = [home.requests.length, store.requests.length]
    const result = await packJob(spec(), {
      allowProtocols: ['https', 'http'],
      allowPrivateNetwork: true,
      dataToken: TOKEN,
      dataTokenOrigin: home.origin,
      outDir: path.join(root.dir, 'job'),
      logger,
      names: cliNamer
    })
    expect(result.datasets.map((d) => d.sha256)).toEqual([sha(PRIVATE), sha(PRIVATE), sha(PUBLIC)])
    // Every request to the token's origin carried it; none to the other origin did.
    expect(home.requests.slice(h).map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`])
    expect(store.requests.slice(s).map((r) => r.headers.authorization)).toEqual([undefined, undefined])
    // Said: the dataset on another origin is fetched without the token.
    expect(lines).toContain(`The data token is not sent to ${store.origin}: it is only sent to ${home.origin} (--data-token-origin).`)

    const forms = [TOKEN, Buffer.from(TOKEN).toString('base64')]
    const everything = [
      lines.join('\n'),
      await readFile(path.join(result.jobDir, 'job.json'), 'utf8'),
      gunzipSync(await readFile(result.archivePath)).toString('latin1'),
      JSON.stringify(result)
    ]
    for (const text of everything) for (const form of forms) expect(text).not.toContain(form)
  })

  it('a token without its origin is refused before any network, naming both', async () => {
    const h = home.requests.length
    const out = path.join(root.dir, 'refused')
    const err = (await packJob(spec(), {
      allowProtocols: ['https', 'http'],
      allowPrivateNetwork: true,
      dataToken: TOKEN,
      outDir: out,
      names: cliNamer
    }).catch((e: unknown) => e)) as SpecError
    expect(err).toBeInstanceOf(SpecError)
    expect(err.problems).toEqual([
      {
        field: '--data-token-origin',
        problem: 'is not set, but $JOB_PACKAGER_DATA_TOKEN is',
        accepted: 'the one origin (scheme://host[:port]) the data token may be sent to, e.g. https://data.example.org'
      }
    ])
    expect(err.message).not.toContain(TOKEN)
    expect(home.requests.length).toBe(h)
    expect(await listAll(out)).toEqual([])
  })

  it('a 401 in a job fails it with the hint, and leaves nothing behind', async () => {
    const out = path.join(root.dir, 'no-token')
    await expect(
      packJob(
        { ...spec(), data_url: [home.url('/private.csv')] },
        { allowProtocols: ['https', 'http'], allowPrivateNetwork: true, outDir: out, names: cliNamer }
      )
    ).rejects.toThrow(/answered HTTP 401 Unauthorized\. A private dataset needs a token: set \$JOB_PACKAGER_DATA_TOKEN/)
    expect(await listAll(out)).toEqual([])
  })
})
