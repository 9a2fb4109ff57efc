/**
 * Parallel gzip with output that does not depend on the number of threads.
 *
 * The format: one ordinary gzip member (10-byte header, deflate stream, CRC-32
 * and length), so every gzip reader reads it — GNU gzip and tar, Python,
 * Go's compress/gzip, Node's zlib — with no multi-member handling needed. Its
 * deflate stream is the concatenation of independently compressed blocks of
 * BLOCK_SIZE input bytes:
 *
 *   header | block 0 | block 1 | … | block n-1 | empty final block | crc32 isize
 *
 * Each block is raw deflate ending in a sync flush (so it ends on a byte
 * boundary and does not set BFINAL), or stored blocks when it does not
 * compress. No block uses another's bytes as a dictionary, so each can be
 * compressed on any thread at any time and the bytes come out the same; the
 * price is that matches cannot reach back across a 1 MiB boundary, which
 * costs about 0.15% of size on CSV-like text (measured against one zlib
 * stream at the same level; still ~2% smaller than GNU gzip -6). Each worker also takes its block's CRC-32;
 * the main thread joins them in order (crc32.ts).
 *
 * Memory is flat: blocks live in a fixed set of shared buffers (input and
 * output), at most `2 × threads + 2` of them, allocated once and reused: a
 * block is held from `acquire()` until its output is written (and whatever
 * else the caller tied to it, such as hashing, is done), so a fast reader
 * waits in `acquire()` for slow compression, and slow disks hold back both.
 */
import os from 'node:os'
import zlib from 'node:zlib'
import { BLOCK_SIZE, compressBlock, OUTPUT_SIZE, storedBlocks } from './block-codec.js'
import { crc32Combine } from './crc32.js'
import { DeflatePool } from './deflate-pool.js'

/**
 * Where the compressed bytes go. `write` is called in output order and may
 * be called again before the previous call's promise settled: the sink
 * queues (the archive's sink hashes at once and writes in the background),
 * so that the next block is joined and hashed while the disk takes this one.
 * The promise settles once these chunks are written; the chunks must not be
 * touched before.
 */
export interface GzipSink {
  write(chunks: readonly Buffer[]): Promise<void>
}

export interface BlockGzipOptions {
  level: number
  /**
   * Worker threads; 0 compresses on the calling thread (for inputs of one
   * block, where starting a thread costs more than it saves). The bytes are
   * the same for every value.
   */
  threads: number
  sink: GzipSink
  signal?: AbortSignal
}

/**
 * Default ceiling on compression threads. Each thread costs ~15 MB (a V8
 * isolate and its blocks); at ~23 MB/s of level-6 deflate per thread, eight
 * already outrun most disks and networks, and memory stays flat on a
 * 64-core runner too.
 */
const MAX_DEFAULT_THREADS = 8

/**
 * Threads to use when the caller does not say: one per core, up to
 * MAX_DEFAULT_THREADS; or JOB_PACKAGER_THREADS (a knob for the benchmark and
 * tests; it changes speed, never the bytes).
 */
export function defaultThreads(): number {
  const fromEnv = Number(process.env.JOB_PACKAGER_THREADS)
  if (Number.isInteger(fromEnv) && fromEnv >= 1 && fromEnv <= 256) return fromEnv
  return Math.min(MAX_DEFAULT_THREADS, Math.max(1, os.availableParallelism()))
}

interface Slot {
  /** Shared with the workers when there are any; a plain buffer otherwise. */
  input: SharedArrayBuffer | ArrayBuffer
  output?: SharedArrayBuffer
}

/** The gzip header: no name, no mtime (0), XFL as zlib sets it for the level, OS "Unix" on every platform so the bytes do not depend on it. */
function gzipHeader(level: number): Buffer {
  const xfl = level === 9 ? 2 : level === 1 ? 4 : 0
  return Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, xfl, 0x03])
}

/** An empty fixed-Huffman block with BFINAL set: bits 1,1,0 then the 7-bit end-of-block code. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00])

/**
 * Feeds a gzip member block by block. Usage: `acquire()` a buffer, fill it
 * (a full BLOCK_SIZE, except for the last block), `submit()` it, repeat;
 * then `finish()`; always `close()` in a finally.
 */
export class BlockGzip {
  readonly blockSize = BLOCK_SIZE
  private readonly pool: DeflatePool | undefined
  private readonly maxBlocks: number
  private readonly slots = new Map<Buffer, Slot>()
  private readonly free: Buffer[] = []
  private waiters: Array<() => void> = []
  /** Resolves when every block submitted so far has been written, in order. */
  private tail: Promise<void> = Promise.resolve()
  private failure: { error: unknown } | undefined
  /** Blocks handed to the sink whose write (or hold) has not settled yet. */
  private readonly inFlight = new Set<Promise<unknown>>()
  private crc = 0
  private isize = 0
  private lastPartial = false
  private readonly onAbort = (): void => {
    this.fail(this.options.signal?.reason)
    void this.pool?.close()
  }

  constructor(private readonly options: BlockGzipOptions) {
    if (!Number.isInteger(options.level) || options.level < 1 || options.level > 9)
      throw new RangeError(`gzip level must be 1-9, got ${options.level}`)
    this.pool = options.threads > 0 ? new DeflatePool(options.threads) : undefined
    this.maxBlocks = 2 * Math.max(1, options.threads) + 2
    this.tail = this.step(() => options.sink.write([gzipHeader(options.level)]))
    options.signal?.addEventListener('abort', this.onAbort, { once: true })
    if (options.signal?.aborted) this.onAbort()
  }

  /**
   * A buffer of `blockSize` bytes to fill; waits while too many blocks are in
   * flight. With workers its memory is a SharedArrayBuffer (`.buffer`), which
   * the caller may hand to other threads that read the block (see `submit`).
   */
  async acquire(): Promise<Buffer> {
    for (;;) {
      this.throwIfFailed()
      const buf = this.free.pop()
      if (buf) return buf
      if (this.slots.size < this.maxBlocks) {
        const slot: Slot = this.pool
          ? { input: new SharedArrayBuffer(this.blockSize), output: new SharedArrayBuffer(OUTPUT_SIZE) }
          : { input: new ArrayBuffer(this.blockSize) }
        const block = Buffer.from(slot.input)
        this.slots.set(block, slot)
        return block
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }

  /**
   * Hands over the first `length` bytes of `block`. The block comes back to
   * `acquire()` once its output is written and `hold` (other readers of the
   * block, e.g. a hashing thread) has settled; a rejected `hold` fails the run.
   */
  submit(block: Buffer, length: number, hold?: Promise<unknown>): void {
    this.throwIfFailed()
    const slot = this.slots.get(block)
    if (!slot) throw new Error('submit() takes a buffer from acquire()')
    if (length < 1 || length > this.blockSize) throw new RangeError(`block length ${length}`)
    // Only the last block may be short: block boundaries are part of the output format.
    if (this.lastPartial) throw new Error('a short block was already submitted; it must be the last')
    this.lastPartial = length < this.blockSize
    this.isize = (this.isize + length) % 0x1_0000_0000
    const input = block.subarray(0, length)
    const level = this.options.level
    let result: Promise<{ out: Buffer | null; crc: number }>
    if (this.pool && slot.output) {
      const output = slot.output
      result = this.pool.run(slot.input as SharedArrayBuffer, length, output, level).then((r) => ({
        out: r.outLength < 0 ? null : Buffer.from(output, 0, r.outLength),
        crc: r.crc
      }))
    } else {
      result = Promise.resolve().then(() => ({ out: compressBlock(input, level), crc: zlib.crc32(input) }))
    }
    // Rejections are taken up by the write chain below; this only keeps Node from calling them unhandled meanwhile.
    result.catch(() => undefined)
    hold?.catch(() => undefined)
    this.tail = this.step(async () => {
      const { out, crc } = await result
      this.crc = crc32Combine(this.crc, crc, length)
      // The order is kept by handing blocks to the sink one after the other;
      // the write itself is not waited for here, only before reusing the block.
      const done = Promise.all([this.options.sink.write(out ? [out] : storedBlocks(input)), hold])
      this.inFlight.add(done)
      done.then(
        () => {
          this.inFlight.delete(done)
          this.release(block)
        },
        (err: unknown) => this.fail(err)
      )
    })
  }

  /** Waits for every block, then writes the final block and the trailer. */
  async finish(): Promise<void> {
    this.tail = this.step(async () => {
      const trailer = Buffer.alloc(8)
      trailer.writeUInt32LE(this.crc >>> 0, 0)
      trailer.writeUInt32LE(this.isize, 4)
      await Promise.all([this.options.sink.write([FINAL_BLOCK, trailer]), ...this.inFlight])
    })
    await this.tail
    this.throwIfFailed()
  }

  /** Stops the threads. Always call it, also after `finish()`. */
  async close(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onAbort)
    this.fail(new Error('The compressor was closed.'), true)
    await this.pool?.close()
  }

  /** Chains `fn` after the previous step; once something failed, later steps do nothing. */
  private step(fn: () => Promise<void>): Promise<void> {
    return this.tail.then(async () => {
      if (this.failure) return
      try {
        await fn()
      } catch (err) {
        this.fail(err)
      }
    })
  }

  private release(buf: Buffer): void {
    this.free.push(buf)
    this.waiters.shift()?.()
  }

  private fail(error: unknown, quiet = false): void {
    if (!this.failure) this.failure = { error }
    if (quiet) return
    for (const wake of this.waiters.splice(0)) wake()
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error
  }
}

/** Gzips a whole buffer (tests, tools). The same bytes as the archive writer produces for the same input. */
export async function gzipBuffer(
  input: Uint8Array,
  options: { level?: number; threads?: number; signal?: AbortSignal } = {}
): Promise<Buffer> {
  const chunks: Buffer[] = []
  const gz = new BlockGzip({
    level: options.level ?? 6,
    threads: options.threads ?? defaultThreads(),
    signal: options.signal,
    sink: {
      write: (parts) => {
        for (const p of parts) chunks.push(Buffer.from(p))
        return Promise.resolve()
      }
    }
  })
  try {
    for (let off = 0; off < input.length; off += gz.blockSize) {
      const block = await gz.acquire()
      const n = Math.min(gz.blockSize, input.length - off)
      block.set(input.subarray(off, off + n))
      gz.submit(block, n)
    }
    await gz.finish()
  } finally {
    await gz.close()
  }
  return Buffer.concat(chunks)
}
