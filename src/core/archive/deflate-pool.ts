/**
 * Worker threads for the archive: a pool of compressors (deflate-worker.ts)
 * and one hasher (hash-worker.ts). A request is a small message naming shared
 * buffers (worker-protocol.ts); the answer comes back by id.
 *
 * Where the threads' code is: next to the running module. In the bundles
 * (dist/index.js, dist/cli/index.js) that is the bundled worker beside each
 * bundle (dist/deflate-worker.js, dist/cli/deflate-worker.js; see
 * scripts/bundle.mjs). From the sources (jest, tsx) it is the worker's .ts,
 * run under tsx.
 *
 * Lifetime: a worker is ref'd only while it owes an answer. An idle pool
 * therefore never keeps the process alive (a forgotten pool cannot hang the
 * CLI), while a busy one does (Node must not exit 0 halfway through an
 * archive because the main thread happened to be waiting on a thread).
 * `close()` terminates the threads; callers close in a `finally`.
 *
 * Failure: a thread that dies, cannot load its script, or throws outside a
 * request fails every pending and future request, so the archive fails
 * instead of waiting forever.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { DeflateResult, DeflateTask, HashRange, HashResult, HashTask, Reply, Request } from './worker-protocol.js'

/** A worker's entry module, and the options its thread needs to run it. */
export interface WorkerScript {
  url: URL
  execArgv?: string[]
}

/**
 * The script of one of the archive's workers. Whether this module runs from
 * its TypeScript source decides which: its own extension, not a look at the
 * disk, so a bundle never reaches for sources or tsx, and sources never pick
 * up a stale build of a worker.
 *
 * The file name is put together at run time on purpose: ncc (webpack) turns
 * `new URL('./literal.js', import.meta.url)` into a hashed copy of the source
 * file, which is not what the bundle is meant to load.
 */
export function workerScript(name: 'deflate-worker' | 'hash-worker'): WorkerScript {
  const fromSources = new URL(import.meta.url).pathname.endsWith('.ts')
  const url = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, import.meta.url)
  return fromSources ? { url, execArgv: tsxExecArgv() } : { url }
}

let tsxArgs: string[] | undefined

/**
 * execArgv that makes a thread run TypeScript (development and tests only;
 * tsx is a devDependency). `--import tsx` is not enough on Node 20: tsx
 * registers its loader only on the main thread there, and loader hooks do not
 * reach other threads, so the thread calls tsx's `register()` itself, from a
 * one-line data: module, before its entry loads.
 */
function tsxExecArgv(): string[] {
  if (!tsxArgs) {
    let api: string
    try {
      api = import.meta.resolve('tsx/esm/api')
    } catch (err) {
      throw new Error('Running the archive workers from the TypeScript sources needs tsx (a devDependency); the bundles in dist/ do not.', {
        cause: err
      })
    }
    const preload = `import { register } from ${JSON.stringify(api)}; register()`
    tsxArgs = ['--import', `data:text/javascript,${encodeURIComponent(preload)}`]
  }
  return tsxArgs
}

/** A request the thread answered with an error (the thread itself is fine). */
class RequestError extends Error {}

interface Pending<T, R> {
  id: number
  task: T
  resolve: (result: R) => void
  reject: (err: unknown) => void
}

class WorkerPool<T, R> {
  private readonly workers: Worker[] = []
  /** Requests each worker owes an answer to, in the order sent. */
  private readonly owed = new Map<Worker, Array<Pending<T, R>>>()
  private readonly queue: Array<Pending<T, R>> = []
  private failure: Error | undefined
  private nextId = 0

  /**
   * @param perWorker how many requests a worker may hold at once: 1 spreads
   *   blocks over idle compressors; Infinity lets the single hasher queue
   *   its ordered stream without a round trip per message.
   */
  constructor(
    script: WorkerScript,
    size: number,
    name: string,
    private readonly perWorker: number
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`A worker pool needs at least one thread, got ${size}`)
    const where = script.url.protocol === 'file:' ? fileURLToPath(script.url) : script.url.href
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script.url, { name, execArgv: script.execArgv })
      worker.unref()
      worker.on('message', (msg: Reply<R>) => this.onReply(worker, msg))
      worker.on('error', (err) => this.fail(new Error(`A ${name} thread failed (${where}): ${err.message}`, { cause: err })))
      worker.on('messageerror', (err) => this.fail(err))
      worker.on('exit', (code) => this.fail(new Error(`A ${name} thread exited unexpectedly (code ${code}; ${where}).`)))
      this.workers.push(worker)
      this.owed.set(worker, [])
    }
  }

  request(task: T): Promise<R> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject })
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
      const pending = this.queue.shift()!
      const owed = this.owed.get(best)!
      if (owed.length === 0) best.ref()
      owed.push(pending)
      best.postMessage({ id: pending.id, task: pending.task } satisfies Request<T>)
    }
  }

  private onReply(worker: Worker, msg: Reply<R>): void {
    const owed = this.owed.get(worker)!
    const pending = owed.shift()
    if (!pending || pending.id !== msg.id) {
      this.fail(new Error('A worker thread answered out of turn.'))
      return
    }
    if (owed.length === 0) worker.unref()
    if (msg.ok) pending.resolve(msg.result)
    else pending.reject(new RequestError(msg.error))
    this.dispatch()
  }

  /** The first failure wins; everything pending is rejected with it. */
  private fail(err: Error): void {
    if (this.failure !== undefined) return
    this.failure = err
    for (const pending of [...[...this.owed.values()].flat(), ...this.queue]) pending.reject(err)
    for (const owed of this.owed.values()) owed.length = 0
    this.queue.length = 0
    for (const w of this.workers) w.unref()
  }
}

/** Compressors: `size` threads, each holding one block at a time. */
export class DeflatePool {
  private readonly pool: WorkerPool<DeflateTask, DeflateResult>

  /** @param script the compressor's code; only tests pass another. */
  constructor(
    readonly size: number,
    script: WorkerScript = workerScript('deflate-worker')
  ) {
    this.pool = new WorkerPool(script, size, 'job-packager-deflate', 1)
  }

  /** Compresses `length` bytes of `input` into `output`; neither may be touched until this settles. */
  async run(input: SharedArrayBuffer, length: number, output: SharedArrayBuffer, level: number): Promise<DeflateResult> {
    try {
      return await this.pool.request({ input, length, output, level })
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
  private readonly pool: WorkerPool<HashTask, HashResult>

  /** @param script the hasher's code; only tests pass another. */
  constructor(script: WorkerScript = workerScript('hash-worker')) {
    this.pool = new WorkerPool(script, 1, 'job-packager-hash', Infinity)
  }

  /** Hashes ranges of `input` into their files' hashes; resolves when `input` may be reused. */
  async update(input: SharedArrayBuffer, ranges: readonly HashRange[]): Promise<void> {
    await this.pool.request({ op: 'update', input, ranges })
  }

  /** The file's sha256, once every range before this call has been hashed. */
  async digest(file: number): Promise<string> {
    const hex = await this.pool.request({ op: 'digest', file })
    if (typeof hex !== 'string') throw new Error('The hashing thread answered a digest without a hash.')
    return hex
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
