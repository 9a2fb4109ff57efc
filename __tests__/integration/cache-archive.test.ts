/**
 * Our unpacking of an Actions cache archive (src/action/cache-archive.ts) on
 * archives written by GNU tar and compressed by the zstd program or gzip, as
 * the client writes them, for the member kinds the runner tests
 * (action/runner-cache.test.ts) do not craft: a device, a FIFO, a directory,
 * a second file, the file twice, an oversized file, a corrupt archive.
 * Whatever the archive holds, nothing but the one file may be written, and
 * only into `dest`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { extractOneFile, type CacheCompression } from '../../src/action/cache-archive.js'
import { CacheEntryRefused } from '../../src/core/index.js'
import { run } from '../helpers/git-server.js'
import { tempDir } from '../helpers/workspace.js'

const MEMBER = '../../_temp/job-packager-dataset-cache/abc/dataset'
const DATA = Buffer.from('x,y\n1,2\n')

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
beforeAll(async () => {
  root = await tempDir()
})
afterAll(async () => {
  await root?.cleanup()
})

/** GNU tar's archive (`--posix -P`, as the client) of local paths renamed to `names`, compressed. */
async function archiveOf(members: Array<{ local: string; name: string }>, cwd: string, compression: CacheCompression): Promise<string> {
  const tar = path.join(root.dir, `a${++n}.tar`)
  const transforms = members.flatMap((m) => ['--transform', `s|^${m.local}$|${m.name}|`])
  const made = await run('tar', ['--posix', '-cf', tar, '-P', ...transforms, ...members.map((m) => m.local)], { cwd, allowFailure: true })
  if (made.code !== 0) throw new Error(made.stderr)
  if (compression === 'zstd') {
    await run('zstd', ['-q', '-T0', tar, '-o', `${tar}.zst`])
    return `${tar}.zst`
  }
  await run('gzip', ['-n', tar])
  return `${tar}.gz`
}

/** A fresh staging folder holding the dataset as `data`. */
async function stage(): Promise<string> {
  const dir = path.join(root.dir, `stage-${++n}`)
  await mkdir(dir)
  await writeFile(path.join(dir, 'data'), DATA)
  return dir
}

/** Extracts into a fresh, empty folder; returns the refusal (or undefined) and what the folder holds afterwards. */
async function extract(
  archive: string,
  compression: CacheCompression,
  maxBytes?: number
): Promise<{ refused?: string; left: string[]; out: string }> {
  const out = path.join(root.dir, `out-${++n}`)
  await mkdir(out)
  let refused: string | undefined
  try {
    await extractOneFile({ archive, compression, member: MEMBER, dest: path.join(out, 'dataset'), entry: 'KEY', maxBytes })
  } catch (err) {
    if (!(err instanceof CacheEntryRefused)) throw err
    refused = err.message
  }
  return { refused, left: await readdir(out), out }
}

describe.each<CacheCompression>(['zstd', 'gzip'])('extractOneFile (%s)', (compression) => {
  it('writes the one expected file, and only it', async () => {
    const dir = await stage()
    const r = await extract(await archiveOf([{ local: 'data', name: MEMBER }], dir, compression), compression)
    expect(r.refused).toBeUndefined()
    expect(r.left).toEqual(['dataset'])
    expect(await readFile(path.join(r.out, 'dataset'))).toEqual(DATA)
  })

  const refusals: Array<[string, (dir: string) => Promise<Array<{ local: string; name: string }>>, string]> = [
    [
      'a character device',
      () =>
        Promise.resolve([
          { local: 'data', name: MEMBER },
          { local: '/dev/null', name: '/dev/null' }
        ]),
      'holds a device, "/dev/null"'
    ],
    [
      'a FIFO',
      async (dir) => {
        await run('mkfifo', [path.join(dir, 'fifo')])
        return [
          { local: 'fifo', name: 'fifo' },
          { local: 'data', name: MEMBER }
        ]
      },
      'holds a FIFO, "fifo"'
    ],
    [
      'a directory',
      async (dir) => {
        await mkdir(path.join(dir, 'sub'))
        return [
          { local: 'sub', name: 'sub' },
          { local: 'data', name: MEMBER }
        ]
      },
      'holds a directory, "sub/"'
    ],
    [
      'another file',
      async (dir) => {
        await writeFile(path.join(dir, 'other'), 'other')
        return [
          { local: 'data', name: MEMBER },
          { local: 'other', name: 'other' }
        ]
      },
      'holds a second file, "other"'
    ],
    [
      'the file twice',
      async (dir) => {
        await writeFile(path.join(dir, 'again'), 'again')
        return [
          { local: 'data', name: MEMBER },
          { local: 'again', name: MEMBER }
        ]
      },
      `holds the file ${JSON.stringify(MEMBER)} twice`
    ]
  ]

  it.each(refusals)('refuses %s, and leaves nothing behind', async (_name, members, says) => {
    const dir = await stage()
    const r = await extract(await archiveOf(await members(dir), dir, compression), compression)
    expect(r.refused).toBe(`the Actions cache entry KEY ${says}, not only the one file ${JSON.stringify(MEMBER)}; none of it was used`)
    expect(r.left).toEqual([])
  })

  it('refuses a file over the size limit before writing it', async () => {
    const dir = await stage()
    const r = await extract(await archiveOf([{ local: 'data', name: MEMBER }], dir, compression), compression, DATA.length - 1)
    expect(r.refused).toBe(`the Actions cache entry KEY holds ${DATA.length} bytes, more than the ${DATA.length - 1} a dataset may have`)
    expect(r.left).toEqual([])
  })

  it('refuses an archive that is not one', async () => {
    const bogus = path.join(root.dir, `bogus-${++n}`)
    await writeFile(bogus, 'not an archive at all')
    const r = await extract(bogus, compression)
    expect(r.refused).toMatch(/^the Actions cache entry KEY /)
    expect(r.left).toEqual([])
  })

  it('refuses an archive without the file (another path layout)', async () => {
    const dir = await stage()
    const r = await extract(await archiveOf([{ local: 'data', name: 'elsewhere/dataset' }], dir, compression), compression)
    expect(r.refused).toBe(
      `the Actions cache entry KEY holds another file, "elsewhere/dataset", not only the one file ${JSON.stringify(MEMBER)}; none of it was used`
    )
    expect(r.left).toEqual([])
  })
})

describe('extractOneFile and the abort signal', () => {
  it('stops at once when the job is aborted, and rethrows the abort', async () => {
    const dir = await stage()
    const archive = await archiveOf([{ local: 'data', name: MEMBER }], dir, 'zstd')
    const out = path.join(root.dir, `out-abort`)
    await mkdir(out)
    const controller = new AbortController()
    const reason = new Error('deadline')
    controller.abort(reason)
    await expect(
      extractOneFile({
        archive,
        compression: 'zstd',
        member: MEMBER,
        dest: path.join(out, 'dataset'),
        entry: 'KEY',
        signal: controller.signal
      })
    ).rejects.toBe(reason)
    expect(await readdir(out)).toEqual([])
    await rm(out, { recursive: true })
  })
})
