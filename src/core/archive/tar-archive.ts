/**
 * Writes the archive in one pass over the files: each file is read once,
 * straight into the block buffers that are compressed, and hashed from those
 * same buffers (sha256 per file for the content digest) on a thread of its
 * own. The tar stream is cut into fixed-size blocks compressed on all cores
 * (parallel-gzip.ts); the gzip output is hashed and written as it comes back,
 * in order. The main thread only reads, writes and keeps order.
 *
 * Entries are exactly the walk's, in the order given, under `{prefix}/`, with
 * portable headers (tar-format.ts) and one fixed mtime (the commit time), so
 * the same tree gives the same bytes on any machine and with any number of
 * threads.
 *
 * What was true at walk time is checked again when a file is opened: it is
 * opened without following symlinks and must still be a regular file of the
 * walked size, and it must yield exactly that many bytes. A file that was
 * already hashed (by the walk) must hash the same. So the archive, the
 * content digest and the walk cannot silently disagree.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, read, readSync } from 'node:fs'
import { open, rm, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { JobPackagerError, UnsafeContentError } from '../errors.js'
import { BLOCK_SIZE } from './block-codec.js'
import { HashWorker } from './deflate-pool.js'
import { BlockGzip, defaultThreads, type GzipSink } from './parallel-gzip.js'
import { encodeHeader, padding, RECORD } from './tar-format.js'
import type { TreeEntry } from './walk.js'

export interface ArchiveRequest {
  /** The folder whose content is packed (the staging job folder). */
  root: string
  /**
   * The entries, in archive order. The `sha256` of each file is filled in as
   * it is packed (or checked, if the walk already set it).
   */
  entries: readonly TreeEntry[]
  /** Path prefix of every entry: the job id. */
  prefix: string
  /** mtime of every entry. */
  mtime: Date
  level: number
  dest: string
  signal?: AbortSignal
  /** Compression threads; default: every core. The archive's bytes do not depend on it. */
  threads?: number
  /**
   * Called just before an entry is packed, when every entry before it has
   * been read. `hashed()` resolves once their hashes are in too (hashing may
   * trail reading; waiting for it stalls the pipeline, so only callbacks
   * that need the hashes call it). The packager writes job.json here: it
   * holds the content digest, and comes after code/ and data/ in the
   * archive. The callback may set the entry's `size` (the file did not exist
   * at walk time).
   */
  beforeEntry?: (entry: TreeEntry, hashed: () => Promise<void>) => void | Promise<void>
  /** Called as file content is read, with the bytes read so far (of the sum of the entries' sizes). */
  onProgress?: (doneBytes: number) => void
}

export interface ArchiveResult {
  sha256: string
  bytes: number
  entries: number
  /** Size of the uncompressed tar stream. */
  tarBytes: number
  /** Compression threads used (0: compressed and hashed on the calling thread). */
  threads: number
}

type Range = readonly [file: number, start: number, end: number]

/** Per-file sha256 of ranges of blocks, fed in archive order. */
interface ContentHasher {
  /** Hashes the range; the promise (if any) settles when the block may be reused. */
  update(block: Buffer, range: Range): Promise<void> | undefined
  /** The file's sha256 over every range given before this call. */
  digest(file: number): Promise<string>
  close(): Promise<void>
}

/** sha256 on the calling thread: for small files, and for archives too small to be worth a thread. */
class InlineHasher implements ContentHasher {
  private readonly hashes = new Map<number, Hash>()
  update(block: Buffer, [file, start, end]: Range): undefined {
    let h = this.hashes.get(file)
    if (!h) this.hashes.set(file, (h = createHash('sha256')))
    h.update(block.subarray(start, end))
    return undefined
  }
  digest(file: number): Promise<string> {
    const h = this.hashes.get(file) ?? createHash('sha256')
    this.hashes.delete(file)
    return Promise.resolve(h.digest('hex'))
  }
  async close(): Promise<void> {}
}

/** sha256 on its own thread, reading the shared block buffers: it runs beside compression instead of on the main thread. */
class ThreadHasher implements ContentHasher {
  private readonly worker = new HashWorker()
  update(block: Buffer, range: Range): Promise<void> {
    return this.worker.update(block.buffer as SharedArrayBuffer, [range])
  }
  digest(file: number): Promise<string> {
    return this.worker.digest(file)
  }
  close(): Promise<void> {
    return this.worker.close()
  }
}

/** Files up to this size are read synchronously: one syscall each, cheaper than a thread-pool round trip. */
const SMALL_FILE = 256 * 1024
const readAsync = promisify(read)
/**
 * Below this much content, hashing on the main thread (sha256 runs at
 * ~1.5 GB/s) costs less than starting a thread for it (~50 ms).
 */
const HASH_THREAD_MIN = 64 * 1024 * 1024
/**
 * Files smaller than this are hashed on the main thread even when there is a
 * hashing thread: a message to it and back costs more than hashing a small
 * file, and a checkout can hold a hundred thousand of them.
 */
const HASH_THREAD_MIN_FILE = 1024 * 1024

export async function writeArchive(req: ArchiveRequest): Promise<ArchiveResult> {
  req.signal?.throwIfAborted()
  const mtime = Math.floor(req.mtime.getTime() / 1000)
  const estimate = estimateTarBytes(req.entries)
  const file = await open(req.dest, 'wx', 0o644)
  const sink = new HashingSink(file)
  const requested = req.threads ?? defaultThreads()
  const blocks = Math.ceil(estimate / BLOCK_SIZE)
  // One block (or less) gains nothing from threads and would pay for starting them.
  const threads = blocks <= 1 ? 0 : Math.min(requested, blocks)
  const gz = new BlockGzip({ level: req.level, threads, sink, signal: req.signal })
  const hashThread = threads > 0 && estimate > HASH_THREAD_MIN ? new ThreadHasher() : undefined
  const out = new BlockWriter(gz, new InlineHasher(), hashThread)
  out.onContent = req.onProgress
  /** File digests on their way back from the hasher; each sets (or checks) its entry's sha256. */
  const digests: Array<Promise<void>> = []
  const allHashed = async (): Promise<void> => {
    await Promise.all(digests.splice(0))
  }
  let written = 0
  let ok = false
  try {
    await out.put(encodeHeader({ path: `${req.prefix}/`, type: 'directory', mode: 0o755, size: 0, mtime }))
    written++
    for (const entry of req.entries) {
      await req.beforeEntry?.(entry, allHashed)
      req.signal?.throwIfAborted()
      const name = `${req.prefix}/${entry.path}`
      if (entry.type === 'directory') {
        await out.put(encodeHeader({ path: `${name}/`, type: 'directory', mode: entry.mode, size: 0, mtime }))
      } else if (entry.type === 'symlink') {
        if (entry.linkTarget === undefined) throw new Error(`symlink ${entry.path} has no target`)
        await out.put(encodeHeader({ path: name, type: 'symlink', mode: 0o777, size: 0, mtime, linkname: entry.linkTarget }))
      } else {
        const { digest } = await packFile(req.root, entry, name, mtime, out)
        const settled = digest.then((sha256) => {
          if (entry.sha256 !== undefined && entry.sha256 !== sha256) throw changed(entry, 'changed content since it was listed')
          ;(entry as { sha256?: string }).sha256 = sha256
        })
        // Awaited below (or before the next beforeEntry); this keeps it from counting as unhandled meanwhile.
        settled.catch(() => undefined)
        digests.push(settled)
      }
      written++
    }
    const expected = req.entries.length + 1
    if (written !== expected) {
      throw new JobPackagerError(
        'output',
        `The archive holds ${written} entries but the job folder has ${expected}; the archive was not kept.`
      )
    }
    await out.zeros(2 * RECORD)
    out.flush()
    await gz.finish()
    await allHashed()
    await file.close()
    ok = true
  } finally {
    await Promise.all([gz.close(), hashThread?.close()])
    if (!ok) {
      await file.close().catch(() => undefined)
      await rm(req.dest, { force: true })
    }
  }
  return { sha256: sink.hash.digest('hex'), bytes: sink.bytes, entries: written, tarBytes: out.total, threads }
}

/**
 * Packs one file. Its sha256 arrives once the hasher has seen all of it;
 * wrapped in an object so that awaiting the packing does not wait for it.
 */
async function packFile(
  root: string,
  entry: TreeEntry,
  name: string,
  mtime: number,
  out: BlockWriter
): Promise<{ digest: Promise<string> }> {
  const abs = path.join(root, entry.path)
  let fd: number
  try {
    // O_NOFOLLOW: a file swapped for a symlink since the walk is refused, not followed.
    // O_NONBLOCK: a FIFO swapped in does not block the open (it is refused below).
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw changed(entry, 'became a symlink')
    throw err
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw changed(entry, 'is no longer a regular file')
    if (st.size !== entry.size) throw changed(entry, `changed size (${entry.size} bytes when listed, ${st.size} now)`)
    await out.put(encodeHeader({ path: name, type: 'file', mode: entry.mode, size: st.size, mtime }))
    const { digest } = await out.fromFile(fd, st.size, () => changed(entry, 'shrank while it was being packed'))
    await out.zeros(padding(st.size))
    return { digest }
  } finally {
    closeSync(fd)
  }
}

function changed(entry: TreeEntry, what: string): UnsafeContentError {
  return new UnsafeContentError(`${entry.path} ${what}; something else is writing into the job folder. Nothing was kept.`)
}

/** Upper bound of the tar stream's size, to size the thread pool. */
function estimateTarBytes(entries: readonly TreeEntry[]): number {
  let total = 3 * RECORD
  for (const e of entries) total += 3 * RECORD + e.size + padding(e.size)
  return total
}

/**
 * Fills the compressor's block buffers with the tar stream. Headers are
 * copied in; file content is read from disk directly into the block (each
 * byte is copied once, by the kernel) and handed to the hasher from there.
 */
class BlockWriter {
  private block: Buffer | undefined
  private pos = 0
  /** What the hasher still has to finish before the current block may be reused. */
  private holds: Array<Promise<void>> = []
  private nextFile = 0
  total = 0
  /** File content bytes read so far, and who wants to hear of them. */
  private content = 0
  onContent?: (bytes: number) => void

  constructor(
    private readonly gz: BlockGzip,
    private readonly inline: ContentHasher,
    private readonly thread: ContentHasher | undefined
  ) {}

  async put(bytes: Uint8Array): Promise<void> {
    for (let off = 0; off < bytes.length;) {
      const block = await this.room()
      const n = Math.min(bytes.length - off, block.length - this.pos)
      block.set(bytes.subarray(off, off + n), this.pos)
      this.advance(n)
      off += n
    }
  }

  async zeros(count: number): Promise<void> {
    for (let left = count; left > 0;) {
      const block = await this.room()
      const n = Math.min(left, block.length - this.pos)
      block.fill(0, this.pos, this.pos + n)
      this.advance(n)
      left -= n
    }
  }

  /**
   * Exactly `size` bytes of `fd` into the stream; `shrank()` is thrown if the
   * file ends early. Returns the content's sha256, which settles later (in
   * an object, so that awaiting the reading does not wait for the hashing).
   */
  async fromFile(fd: number, size: number, shrank: () => Error): Promise<{ digest: Promise<string> }> {
    const file = this.nextFile++
    const hasher = this.thread && size >= HASH_THREAD_MIN_FILE ? this.thread : this.inline
    for (let position = 0; position < size;) {
      const block = await this.room()
      const want = Math.min(size - position, block.length - this.pos)
      const n =
        size <= SMALL_FILE
          ? readSync(fd, block, this.pos, want, position)
          : (await readAsync(fd, block, this.pos, want, position)).bytesRead
      if (n === 0) throw shrank()
      const hold = hasher.update(block, [file, this.pos, this.pos + n])
      if (hold) {
        // Taken up by the compressor when the block is submitted; if the run fails first, nobody awaits it.
        hold.catch(() => undefined)
        this.holds.push(hold)
      }
      this.advance(n)
      position += n
      this.content += n
      this.onContent?.(this.content)
    }
    const digest = hasher.digest(file)
    // Awaited by the caller later; this keeps a failure from counting as unhandled meanwhile.
    digest.catch(() => undefined)
    return { digest }
  }

  /** Submits the last, partly filled block. */
  flush(): void {
    if (this.block && this.pos > 0) this.submit()
    this.block = undefined
  }

  private advance(n: number): void {
    this.pos += n
    this.total += n
  }

  private submit(): void {
    const holds = this.holds
    this.holds = []
    const hold = holds.length > 0 ? Promise.all(holds) : undefined
    // If submit() throws (the run already failed), nothing else will ever await it.
    hold?.catch(() => undefined)
    const block = this.block!
    this.block = undefined
    this.gz.submit(block, this.pos, hold)
  }

  /** The current block, if it has room; otherwise the full one is submitted and a fresh one acquired. */
  private async room(): Promise<Buffer> {
    if (this.block && this.pos < this.block.length) return this.block
    if (this.block) this.submit()
    this.block = await this.gz.acquire()
    this.pos = 0
    return this.block
  }
}

/**
 * Writes the gzip output to the file, hashing it and counting bytes. Chunks
 * are hashed when handed over (in order) and written in the background, one
 * writev after the other, so hashing the next block overlaps this one's write.
 */
class HashingSink implements GzipSink {
  readonly hash = createHash('sha256')
  bytes = 0
  private queue: Promise<void> = Promise.resolve()

  constructor(private readonly file: FileHandle) {}

  write(chunks: readonly Buffer[]): Promise<void> {
    for (const c of chunks) this.hash.update(c)
    const next = this.queue.then(() => this.writeAll(chunks.filter((c) => c.length > 0)))
    // A failed write fails every later one too: nothing may land after a hole.
    this.queue = next
    return next
  }

  private async writeAll(chunks: Buffer[]): Promise<void> {
    let pending = chunks
    while (pending.length > 0) {
      const { bytesWritten } = await this.file.writev(pending)
      if (bytesWritten === 0) throw new Error('the archive file accepted no more bytes')
      this.bytes += bytesWritten
      // writev may write less than asked (a signal, a nearly full disk): continue from there.
      let skip = bytesWritten
      while (pending.length > 0 && skip >= pending[0]!.length) skip -= pending.shift()!.length
      if (skip > 0) pending = [pending[0]!.subarray(skip), ...pending.slice(1)]
    }
  }
}
