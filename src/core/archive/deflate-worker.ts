/**
 * A compression thread (started by deflate-pool.ts; bundled as
 * dist/deflate-worker.js and dist/cli/deflate-worker.js). Blocks live in
 * SharedArrayBuffers that the main thread allocates once and reuses for the
 * whole archive: the thread reads the input block, writes the deflate bytes
 * into the block's output buffer, and answers with their length (-1: store
 * the block) and the block's CRC-32. No bytes are copied to or from the
 * thread, and the garbage collector never sees a megabyte per block.
 */
import zlib from 'node:zlib'
import { compressBlock } from './block-codec.js'
import { serve, type DeflateResult, type DeflateTask } from './worker-protocol.js'

serve<DeflateTask, DeflateResult>(({ input, length, output, level }) => {
  const block = Buffer.from(input, 0, length)
  const crc = zlib.crc32(block)
  const out = compressBlock(block, level)
  if (!out) return { outLength: -1, crc }
  if (out.length > output.byteLength) throw new Error('compressed block larger than its output buffer')
  new Uint8Array(output).set(out)
  return { outLength: out.length, crc }
})
