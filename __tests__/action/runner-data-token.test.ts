/**
 * The data token in the Action, as the runner runs it (dist/index.js on
 * Node 24, inputs from action.yml): `data-token` goes to `data-token-origin`
 * only, is registered with the runner's masking before anything is logged,
 * and is in neither the job folder nor the archive.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { redirect, requireBearer, serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import { runAction, type RunActionOptions, type RunActionResult } from '../helpers/run-action.js'
import { DATASET, errors, readTree, repoRoot, sha256, startFixture, transcript, type Fixture } from './support.js'

const DATA_TOKEN = 'hf_privateDatasetToken0123456789abcdef'
const OTHER = Buffer.from('a,b\n'.repeat(500))

let fx: Fixture
/** A second origin: where the token's origin redirects to (a presigned store), and a public dataset. */
let store: DataServer
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  ;[fx, store] = await Promise.all([startFixture(), startDataServer()])
  fx.data.route('/private/train.csv', requireBearer(DATA_TOKEN, DATASET))
  fx.data.route('/private/big.bin', (req, res, ctx) => redirect(store.url('/bucket/big.bin?X-Sig=s1&X-Expires=60'))(req, res, ctx))
  store.route('/bucket/big.bin', serveBuffer(OTHER))
  store.route('/public.csv', serveBuffer(OTHER))
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})
afterAll(async () => {
  await Promise.all([fx?.close(), store?.close()])
})

async function pack(jobId: string, inputs: Record<string, string>, opts: Partial<RunActionOptions> = {}): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: repoRoot,
    githubToken: 'ghs_defaultWorkflowToken0123456789',
    ...opts,
    inputs: {
      'git-url': fx.git.url('model.git'),
      'commit-hash': fx.commit,
      command: 'python train.py',
      'job-id': jobId,
      upload: 'false',
      ...fx.loopback,
      ...inputs
    }
  })
  cleanups.push(r.cleanup)
  return r
}

describe('data-token in the Action', () => {
  test('reaches its origin only, is masked, and is stored nowhere', async () => {
    const [h, s] = [fx.data.requests.length, store.requests.length]
    const r = await pack('private-data', {
      'data-url': [fx.data.url('/private/train.csv'), fx.data.url('/private/big.bin'), store.url('/public.csv')].join('\n'),
      'data-token': DATA_TOKEN,
      'data-token-origin': fx.data.origin
    })
    expect(r.code).toBe(0)
    expect(errors(r)).toEqual([])

    // The token's origin got it on every request; the other origin (a redirect target, and a dataset of its own) never.
    expect(fx.data.requests.slice(h).map((q) => [q.pathname, q.headers.authorization])).toEqual([
      ['/private/train.csv', `Bearer ${DATA_TOKEN}`],
      ['/private/big.bin', `Bearer ${DATA_TOKEN}`]
    ])
    expect(store.requests.slice(s).map((q) => [q.pathname, q.headers.authorization])).toEqual([
      ['/bucket/big.bin', undefined],
      ['/public.csv', undefined]
    ])
    expect(r.stdout).toContain(`The data token is not sent to ${store.origin}: it is only sent to ${fx.data.origin} (data-token-origin).`)

    // Registered with the runner's masking before anything else was printed...
    const firstMask = r.commands.findIndex((c) => c.command === 'add-mask' && c.message === DATA_TOKEN)
    expect(firstMask).toBeGreaterThanOrEqual(0)
    expect(r.commands.slice(0, firstMask).every((c) => c.command === 'add-mask')).toBe(true)
    // ...and printed nowhere else: not in the log, the summary, the outputs, the job folder or the archive.
    const maskLines = new RegExp(`^::add-mask::.*$`, 'gm')
    const job = path.join(r.workspace, 'jobs', 'private-data')
    const texts = [
      r.stdout.replace(maskLines, ''),
      r.stderr,
      r.summary,
      JSON.stringify(r.outputs),
      ...(await readTree(job)).map((f) => f.bytes.toString('latin1')),
      gunzipSync(await readFile(path.join(r.workspace, 'jobs', 'private-data.tar.gz'))).toString('latin1')
    ]
    for (const text of texts) expect(text).not.toContain(DATA_TOKEN)
    expect(await readFile(path.join(job, 'data', 'train.csv'))).toEqual(DATASET)
    expect(sha256(await readFile(path.join(job, 'data', 'big.bin')))).toBe(sha256(OTHER))
  })

  test('a private dataset without data-token fails with the inputs to set', async () => {
    const r = await pack('no-data-token', { 'data-url': fx.data.url('/private/train.csv') })
    expect(r.code).toBe(1)
    const [message] = errors(r)
    expect(message).toContain(`${fx.data.url('/private/train.csv')} answered HTTP 401 Unauthorized.`)
    expect(message).toContain(`A private dataset needs a token: set data-token and data-token-origin: ${fx.data.origin}`)
  })

  test('data-token without data-token-origin is an input error, before any download', async () => {
    const h = fx.data.requests.length
    const r = await pack('no-origin', { 'data-url': fx.data.url('/private/train.csv'), 'data-token': DATA_TOKEN })
    expect(r.code).toBe(1)
    expect(errors(r).join('\n')).toMatch(/data-token-origin.*is not set, but data-token is/)
    expect(fx.data.requests.length).toBe(h)
    expect(transcript(r).replace(/^::add-mask::.*$/gm, '')).not.toContain(DATA_TOKEN)
  })
})
