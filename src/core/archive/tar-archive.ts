/**
 * Writes the archive: node-tar packs exactly the walk's entries, in the walk's
 * order, under `{job_id}/`, with portable headers (no uid/gid/uname, no
 * atime/ctime) and one fixed mtime (the commit time), so the same tree gives
 * the same bytes on any machine. The tar stream is compressed by zlib and
 * hashed on its way to disk, in one pass.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { create } from 'tar'
import { JobPackagerError } from '../errors.js'
import type { TreeEntry } from './walk.js'

export interface ArchiveRequest {
  /** The folder whose content is packed (the staging job folder). */
  root: string
  entries: readonly TreeEntry[]
  /** Path prefix of every entry: the job id. */
  prefix: string
  /** mtime of every entry. */
  mtime: Date
  level: number
  dest: string
  signal?: AbortSignal
}

export interface ArchiveResult {
  sha256: string
  bytes: number
  entries: number
}

/**
 * node-tar remembers dev:ino of files with several links and writes the
 * second as a hard link. Packages never contain hard links (the walk lists
 * files, each is stored whole), and hard links are one of the cases where
 * node-tar's create has been seen to hang, so the cache never finds anything.
 */
class NoLinkCache extends Map<`${number}:${number}`, string> {
  override get(): undefined {
    return undefined
  }
  override set(): this {
    return this
  }
}

export async function writeArchive(req: ArchiveRequest): Promise<ArchiveResult> {
  let written = 0
  const pack = create(
    {
      cwd: req.root,
      prefix: req.prefix,
      portable: true,
      mtime: req.mtime,
      noDirRecurse: true,
      follow: false,
      strict: true,
      linkCache: new NoLinkCache(),
      onWriteEntry: (entry) => {
        written++
        // portable mode drops directories' mtime (they would extract as 1970);
        // the fixed commit time is just as reproducible and reads better.
        entry.noMtime = false
      }
    },
    ['.', ...req.entries.map((e) => e.path)]
  )
  const hash = createHash('sha256')
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      bytes += chunk.length
      done(null, chunk)
    }
  })
  await pipeline(pack, zlib.createGzip({ level: req.level }), meter, createWriteStream(req.dest, { mode: 0o644 }), { signal: req.signal })
  const expected = req.entries.length + 1
  if (written !== expected) {
    throw new JobPackagerError('output', `The archive holds ${written} entries but the job folder has ${expected}; the archive was not kept.`)
  }
  return { sha256: hash.digest('hex'), bytes, entries: written }
}
