/**
 * Reads a package archive in one pass: hashes its bytes (for --sha256), and
 * every file's content (for the content digest), and — for `run` — writes
 * the tree into a folder. node-tar's Parser decodes the format (gzip, ustar,
 * pax); what lands on disk is decided here, not by node-tar's Unpack,
 * because the rules must be the packer's own (walk.ts, symlinks.ts) and
 * hold for a hand-made archive:
 *
 * - one top folder (the job id) holds everything; no absolute path, no `.`
 *   or `..` component, no empty one, no entry twice;
 * - only regular files, directories and symlinks: hard links, devices,
 *   FIFOs and types node-tar does not know are refused, not skipped;
 * - a symlink must stay inside the tree by its own text and once the
 *   tree's other links are followed (checkSymlinkChains);
 * - files are created with O_EXCL and O_NOFOLLOW, modes normalised as
 *   packing does (0755/0644), and symlinks are created last, after every
 *   file is written and every link checked, so no write can go through one.
 *
 * A refusal is an UnsafeContentError naming the entry; the caller removes
 * what was written.
 */
import { createHash } from 'node:crypto'
import { closeSync, constants, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs'
import { statfs, symlink } from 'node:fs/promises'
import path from 'node:path'
import { Parser, type ReadEntry } from 'tar'
import { JobPackagerError, LimitError, OutputError, UnsafeContentError } from '../errors.js'
import { formatBytes } from '../units.js'
import { checkSymlinkChains } from './symlinks.js'
import { checkLinkTarget, comparePaths, type TreeEntry } from './walk.js'

export interface ReadArchiveOptions {
  /** Write the tree under `{dest}/{top}/`; `dest` must exist and be empty of `{top}`. */
  dest?: string
  /** Files whose content is returned whole (job.json, run.sh), relative to the top folder, each with the most bytes kept of it. */
  keep?: ReadonlyMap<string, number>
  /**
   * Most bytes of file content, and most entries, the archive may unpack to:
   * a few megabytes of gzip can expand to terabytes, so the sizes the headers
   * declare are counted before anything is written, and the archive is
   * refused at the first entry past either limit. With `dest`, the content
   * must also fit the free space there.
   */
  limits?: { maxBytes: number; maxEntries: number; names?: { maxBytes: string; maxEntries: string } }
  signal?: AbortSignal
}

export interface ArchiveTree {
  /** The top folder's name (the job id, for a package). */
  top: string
  /** Every entry under the top folder, relative to it, in comparePaths order, files hashed. */
  entries: TreeEntry[]
  /** sha256 of the archive's bytes. */
  sha256: string
  /** The content of the files asked for in `keep` that exist (and are no larger than their limit). */
  kept: Map<string, Buffer>
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile'])

export async function readArchive(file: string, options: ReadArchiveOptions = {}): Promise<ArchiveTree> {
  const keep = options.keep ?? new Map<string, number>()
  const entries = new Map<string, TreeEntry>()
  const kept = new Map<string, Buffer>()
  const links: TreeEntry[] = []
  let top: string | undefined
  let failure: Error | undefined
  const archiveHash = createHash('sha256')
  const limits = options.limits ?? { maxBytes: Number.MAX_SAFE_INTEGER, maxEntries: Number.MAX_SAFE_INTEGER }
  // What the disk can take, less a margin for the build and the job's own output; read once, before the first write.
  const room = options.dest ? await freeBytes(options.dest) : undefined
  let declaredBytes = 0

  const refuse = (name: string, why: string): never => {
    throw new UnsafeContentError(
      `${name} in the archive ${why}; a package holds only files, folders and symlinks inside its one top folder.`
    )
  }

  /** The entry's path below the top folder ('' for the top folder itself), after every check. */
  const relativePath = (entry: ReadEntry): string => {
    const raw = entry.path
    const shown = JSON.stringify(raw)
    if (raw.includes('\0')) refuse(shown, 'has a NUL byte in its name')
    if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) refuse(shown, 'has an absolute path')
    const parts = raw.replace(/\/+$/, '').split('/')
    for (const p of parts) {
      if (p === '..') refuse(shown, 'has a ".." component, which would write outside the folder')
      if (p === '.' || p === '') refuse(shown, 'has an empty or "." component')
    }
    const [first, ...rest] = parts
    if (top === undefined) top = first!
    else if (first !== top) refuse(shown, `is outside the top folder ${JSON.stringify(top)}`)
    return rest.join('/')
  }

  const onEntry = (entry: ReadEntry): void => {
    if (failure) return void entry.resume()
    try {
      handle(entry)
    } catch (err) {
      // A path that clashes with an earlier entry (a file where a folder is needed) fails in the file system: say which.
      failure =
        err instanceof JobPackagerError
          ? err
          : new UnsafeContentError(
              `${JSON.stringify(entry.path)} in the archive cannot be unpacked (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): it clashes with an earlier entry.`
            )
      entry.resume()
      // Nothing after a refusal is used: stop reading rather than inflate the rest (it may be a bomb).
      stopReading()
    }
  }

  const handle = (entry: ReadEntry): void => {
    const rel = relativePath(entry)
    const type = entry.type
    if (rel === '') {
      if (type !== 'Directory') refuse(JSON.stringify(entry.path), 'is not a folder, but is the top entry')
      if (options.dest) mkdirSync(path.join(options.dest, top!), { mode: 0o755 })
      return void entry.resume()
    }
    if (entries.has(rel)) refuse(rel, 'appears twice')
    if (entries.size + 1 > limits.maxEntries) {
      throw new LimitError(
        `The archive holds more than ${limits.maxEntries} entries, the limit (${limits.names?.maxEntries ?? 'maxEntries'}); it was refused at ${rel}.`
      )
    }
    if (FILE_TYPES.has(type)) {
      declaredBytes += entry.size ?? 0
      if (declaredBytes > limits.maxBytes) {
        throw new LimitError(
          `The archive unpacks to more than ${formatBytes(limits.maxBytes)}, the limit (${limits.names?.maxBytes ?? 'maxBytes'}); it was refused at ${rel} (${formatBytes(entry.size ?? 0)}).`
        )
      }
      if (room !== undefined && declaredBytes > room) {
        throw new OutputError(
          `The package does not fit in ${options.dest}: at ${rel} it needs more than the ${formatBytes(room)} free there (keeping ${formatBytes(FREE_SPACE_MARGIN)} spare). Free some space or unpack elsewhere.`
        )
      }
    }
    const abs = options.dest ? path.join(options.dest, top!, rel) : undefined
    if (abs) mkdirSync(path.dirname(abs), { recursive: true, mode: 0o755 })
    if (type === 'Directory') {
      entries.set(rel, { path: rel, type: 'directory', mode: 0o755, size: 0 })
      // Recursive: a hand-made archive may list a folder after what is in it.
      if (abs) mkdirSync(abs, { recursive: true, mode: 0o755 })
      return void entry.resume()
    }
    if (type === 'SymbolicLink') {
      const target = entry.linkpath ?? ''
      checkLinkTarget(rel, target)
      const e: TreeEntry = { path: rel, type: 'symlink', mode: 0o777, size: 0, linkTarget: target, sha256: sha256Text(target) }
      entries.set(rel, e)
      links.push(e)
      return void entry.resume()
    }
    if (type === 'Link') refuse(rel, `is a hard link (to ${JSON.stringify(entry.linkpath)})`)
    if (!FILE_TYPES.has(type)) {
      const what = type === 'CharacterDevice' || type === 'BlockDevice' ? 'a device file' : type === 'FIFO' ? 'a FIFO' : `of type ${type}`
      refuse(rel, `is ${what}`)
    }
    const mode = (entry.mode ?? 0o644) & 0o100 ? 0o755 : 0o644
    const e: TreeEntry = { path: rel, type: 'file', mode, size: entry.size ?? 0 }
    entries.set(rel, e)
    const hash = createHash('sha256')
    const fd = abs ? openSync(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode) : undefined
    const keepIt = e.size <= (keep.get(rel) ?? -1)
    const chunks: Buffer[] = []
    let bytes = 0
    entry.on('data', (chunk: Buffer) => {
      hash.update(chunk)
      bytes += chunk.length
      if (keepIt) chunks.push(chunk)
      if (fd !== undefined && !failure) {
        try {
          for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off)
        } catch (err) {
          failure = err as Error
        }
      }
    })
    entry.on('end', () => {
      if (fd !== undefined) closeSync(fd)
      if (bytes !== e.size && !failure)
        failure = new UnsafeContentError(`${rel} in the archive is cut short (${bytes} of ${e.size} bytes).`)
      e.sha256 = hash.digest('hex')
      if (keepIt) kept.set(rel, Buffer.concat(chunks))
    })
  }

  const parser = new Parser({ strict: true })
  parser.on('entry', onEntry)
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    failure ??= new UnsafeContentError(
      `${JSON.stringify(entry.path)} in the archive is of an unsupported type (${entry.type}); a package holds only files, folders and symlinks.`
    )
  })
  const input = createReadStream(file)
  let stopReading = (): void => {}
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      input.destroy()
      reject(options.signal?.reason as Error)
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const done = (err?: unknown): void => {
      options.signal?.removeEventListener('abort', onAbort)
      if (err) reject(err instanceof Error ? err : new Error('the archive could not be read'))
      else resolve()
    }
    stopReading = () => {
      input.unpipe(parser)
      input.destroy()
      done()
    }
    input.on('data', (c) => archiveHash.update(c))
    input.on('error', done)
    parser.on('error', (err: Error) =>
      done(failure ?? new UnsafeContentError(`${path.basename(file)} is not a valid package archive (gzip-compressed tar): ${err.message}`))
    )
    parser.on('end', () => done())
    input.pipe(parser)
  })
  if (failure) throw failure
  if (top === undefined) throw new UnsafeContentError(`${path.basename(file)} is empty: it holds no package.`)

  const list = [...entries.values()].sort((a, b) => comparePaths(a.path, b.path))
  checkSymlinkChains(list)
  if (options.dest) {
    for (const link of links.sort((a, b) => comparePaths(a.path, b.path))) {
      await symlink(link.linkTarget!, path.join(options.dest, top, link.path))
    }
  }
  return { top, entries: list, sha256: archiveHash.digest('hex'), kept }
}

/** Kept free when unpacking: the build and the job's own output need room too. */
const FREE_SPACE_MARGIN = 256 * 1024 * 1024

async function freeBytes(dir: string): Promise<number | undefined> {
  const fs = await statfs(dir).catch(() => undefined)
  return fs ? Math.max(0, fs.bavail * fs.bsize - FREE_SPACE_MARGIN) : undefined
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
