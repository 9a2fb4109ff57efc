/**
 * Worker threads for the archive: a pool of compressors (block-codec.ts) and
 * one hasher. A request is a small message naming shared buffers; the answer
 * comes back by id.
 *
 * Lifetime: a worker is ref'd only while it owes an answer. An idle pool
 * therefore never keeps the process alive (a forgotten pool cannot hang the
 * CLI), while a busy one does (Node must not exit 0 halfway through an
 * archive because the main thread happened to be waiting on a thread).
 * `close()` terminates the threads; callers close in a `finally`.
 *
 * Failure: a thread that dies, or throws outside a request, fails every
 * pending and future request, so the archive fails instead of waiting forever.
 */
import { Worker } from 'node:worker_threads'
import { DEFLATE_WORKER_SOURCE, HASH_WORKER_SOURCE } from './block-codec.js'

/** A request the thread answered with an error (the thread itself is fine). */
class RequestError extends Error {}

interface Pending {
  id: number
  message: Record<string, unknown>
  resolve: (reply: Record<string, unknown>) => void
  reject: (err: unknown) => void
}

class WorkerPool {
  private readonly workers: Worker[] = []
  /** Requests each worker owes an answer to, in the order sent. */
  private readonly owed = new Map<Worker, Pending[]>()
  private readonly queue: Pending[] = []
  private failure: unknown
  private nextId = 0

  /**
   * @param perWorker how many requests a worker may hold at once: 1 spreads
   *   blocks over idle compressors; Infinity lets the single hasher queue
   *   its ordered stream without a round trip per message.
   */
  constructor(
    source: string,
    size: number,
    name: string,
    private readonly perWorker: number
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`A worker pool needs at least one thread, got ${size}`)
    for (let i = 0; i < size; i++) {
      const worker = new Worker(source, { eval: true, name })
      worker.unref()
      worker.on('message', (msg: Record<string, unknown>) => this.onReply(worker, msg))
      worker.on('error', (err) => this.fail(new Error(`A ${name} thread failed: ${err.message}`, { cause: err })))
      worker.on('messageerror', (err) => this.fail(err))
      worker.on('exit', (code) => this.fail(new Error(`A ${name} thread exited unexpectedly (code ${code}).`)))
      this.workers.push(worker)
      this.owed.set(worker, [])
    }
  }

  request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, message, resolve, reject })
      this.dispatch()
    })
  }

  /** Terminates the threads and fails whatever is still pending. Safe to call more than once. */
  async close(): Promise<void> {
    this.fail(new Error('The worker threads were closed.'))
    await Promise.all(this.workers.map((w) => w.terminate()))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // The least busy worker; ties go to the first, so the choice is stable.
      let best: Worker | undefined
      for (const w of this.workers)
        if (this.owed.get(w)!.length < this.perWorker && (!best || this.owed.get(w)!.length < this.owed.get(best)!.length)) best = w
      if (!best) return
      const task = this.queue.shift()!
      const owed = this.owed.get(best)!
      if (owed.length === 0) best.ref()
      owed.push(task)
      best.postMessage({ ...task.message, id: task.id })
    }
  }

  private onReply(worker: Worker, msg: Record<string, unknown>): void {
    const owed = this.owed.get(worker)!
    const task = owed.shift()
    if (!task || task.id !== msg.id) {
      this.fail(new Error('A worker thread answered out of turn.'))
      return
    }
    if (owed.length === 0) worker.unref()
    if (typeof msg.error === 'string') task.reject(new RequestError(msg.error))
    else task.resolve(msg)
    this.dispatch()
  }

  /** The first failure wins; everything pending is rejected with it. */
  private fail(err: unknown): void {
    if (this.failure !== undefined) return
    this.failure = err
    for (const task of [...[...this.owed.values()].flat(), ...this.queue]) task.reject(err)
    for (const owed of this.owed.values()) owed.length = 0
    this.queue.length = 0
    for (const w of this.workers) w.unref()
  }
}

export interface BlockResult {
  /** Deflate bytes written at the start of the output buffer; -1: store the block. */
  outLength: number
  /** CRC-32 of the block, or -1 when this Node has no zlib.crc32. */
  crc: number
}

/** Compressors: `size` threads, each holding one block at a time. */
export class DeflatePool {
  private readonly pool: WorkerPool

  constructor(readonly size: number) {
    this.pool = new WorkerPool(DEFLATE_WORKER_SOURCE, size, 'job-packager-deflate', 1)
  }

  /** Compresses `length` bytes of `input` into `output`; neither may be touched until this settles. */
  async run(input: SharedArrayBuffer, length: number, output: SharedArrayBuffer, level: number): Promise<BlockResult> {
    try {
      const r = await this.pool.request({ input, length, output, level })
      return { outLength: r.outLength as number, crc: r.crc as number }
    } catch (err) {
      throw err instanceof RequestError ? new Error(`Compressing a block failed: ${err.message}`, { cause: err }) : err
    }
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}

/** One thread hashing file contents, in the order the ranges are given. */
export class HashWorker {
  private readonly pool = new WorkerPool(HASH_WORKER_SOURCE, 1, 'job-packager-hash', Infinity)

  /** Hashes ranges of `input` into their files' hashes; resolves when `input` may be reused. */
  async update(input: SharedArrayBuffer, ranges: ReadonlyArray<readonly [file: number, start: number, end: number]>): Promise<void> {
    await this.pool.request({ op: 'update', input, ranges })
  }

  /** The file's sha256, once every range before this call has been hashed. */
  async digest(file: number): Promise<string> {
    return (await this.pool.request({ op: 'digest', file })).hex as string
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
