/**
 * The messages between the archive's main thread (deflate-pool.ts) and its
 * worker threads (deflate-worker.ts, hash-worker.ts), typed once for both
 * sides, and the loop a worker runs to answer them.
 *
 * A request carries an id and a task; every request is answered exactly once,
 * with the same id, by a result or by the message of the error the task threw.
 * A task names shared buffers instead of carrying bytes: structured clone
 * passes a SharedArrayBuffer by reference, so nothing is copied to or from a
 * thread.
 */
import { parentPort } from 'node:worker_threads'

export interface Request<T> {
  id: number
  task: T
}

/** An error is answered per request, so one bad block fails its archive, not the thread. */
export type Reply<R> = { id: number; ok: true; result: R } | { id: number; ok: false; error: string }

/** Compress `length` bytes of `input` into `output` (deflate-worker.ts). */
export interface DeflateTask {
  input: SharedArrayBuffer
  length: number
  output: SharedArrayBuffer
  level: number
}

export interface DeflateResult {
  /** Deflate bytes written at the start of the output buffer; -1: store the block. */
  outLength: number
  /** CRC-32 of the block; the main thread joins the blocks' CRCs in order (crc32.ts). */
  crc: number
}

/** A piece of a file's content inside a shared block: the file's number in the archive, and the byte range. */
export type HashRange = readonly [file: number, start: number, end: number]

/** Add ranges of a block to their files' hashes, or finish a file's hash (hash-worker.ts). */
export type HashTask = { op: 'update'; input: SharedArrayBuffer; ranges: readonly HashRange[] } | { op: 'digest'; file: number }

/** 'update' is answered with null once its ranges are hashed (the block may then be reused); 'digest' with the file's hex sha256. */
export type HashResult = string | null

/** Answers every request from the main thread with `handle`'s result, in the order received. For the worker modules only. */
export function serve<T, R>(handle: (task: T) => R): void {
  const port = parentPort
  // Loaded as a main script by mistake, it would otherwise wait for messages that never come.
  if (!port) throw new Error('This module is a worker thread of the archive writer; it does not run on its own.')
  port.on('message', ({ id, task }: Request<T>) => {
    let reply: Reply<R>
    try {
      reply = { id, ok: true, result: handle(task) }
    } catch (err) {
      reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) }
    }
    port.postMessage(reply)
  })
}
