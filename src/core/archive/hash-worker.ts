/**
 * The hashing thread (started by deflate-pool.ts; bundled as
 * dist/hash-worker.js and dist/cli/hash-worker.js): sha256 of each file's
 * content, fed with ranges of the shared blocks in archive order. Hashing is
 * sequential per file, so it cannot be split over the compression threads;
 * on its own thread it runs alongside them and leaves the main thread to
 * reading and writing. Requests are answered in order, so a digest covers
 * every range sent before it.
 */
import { createHash, type Hash } from 'node:crypto'
import { serve, type HashResult, type HashTask } from './worker-protocol.js'

const hashes = new Map<number, Hash>()

serve<HashTask, HashResult>((task) => {
  if (task.op === 'update') {
    const block = new Uint8Array(task.input)
    for (const [file, start, end] of task.ranges) {
      let h = hashes.get(file)
      if (!h) hashes.set(file, (h = createHash('sha256')))
      h.update(block.subarray(start, end))
    }
    return null
  }
  const h = hashes.get(task.file) ?? createHash('sha256')
  hashes.delete(task.file)
  return h.digest('hex')
})
