/**
 * How one block of the archive's byte stream becomes deflate bytes. This is
 * the only code that decides what the compressed archive looks like, so it is
 * written once, as source text, and run from that same text both in the
 * worker threads and (for archives too small to be worth a thread) on the
 * main thread. Two copies could drift apart; one text cannot.
 *
 * Why source text rather than a module: the CLI and the Action are bundled
 * into single files by ncc, which does not emit separate worker scripts. A
 * worker started from a string (`new Worker(src, { eval: true })`) needs no
 * file next to the bundle, and the same string works under jest and tsc.
 *
 * The output of `compressBlock` depends only on the block's bytes and the
 * level — never on neighbouring blocks, timing or thread count — which is what
 * keeps archives byte-identical however many threads compressed them.
 */
import zlib from 'node:zlib'

/** Input bytes per block. Part of the output format: changing it changes every archive's bytes. */
export const BLOCK_SIZE = 1024 * 1024

/** Size of an output buffer: a compressed block is only kept if smaller than the block stored, which is at most this. */
export const OUTPUT_SIZE = BLOCK_SIZE + 1024

/** Largest payload of one stored deflate block (LEN is 16 bits). */
export const STORED_MAX = 65535

/**
 * `compressBlock(zlib, input, level)` returns raw deflate bytes that end on a
 * byte boundary without the final-block bit (a sync flush: zlib appends an
 * empty stored block), or `null` when the block is to be stored as it is.
 *
 * Incompressible input (already-compressed datasets, images, parquet) is
 * detected from a sample: four 4 KiB pieces spread over the block, deflated
 * together. If the sample does not shrink by at least 1/32, the block is
 * stored without running deflate over the whole of it, so such data costs
 * about a copy instead of a full deflate (which runs at ~40 MB/s on random
 * bytes and gains nothing). One deflate call for the sample, not four:
 * setting up a zlib stream allocates and clears ~300 KB, which costs more
 * than deflating 4 KiB. The sample only decides; a block that passes it is
 * still stored if its compressed form turns out no smaller than storing it.
 */
export const CODEC_SOURCE = String.raw`
function compressBlock(zlib, input, level) {
  const PIECE = 4096
  const PIECES = 4
  if (input.length >= PIECE * PIECES * 4) {
    const sample = Buffer.allocUnsafe(PIECE * PIECES)
    const step = Math.floor((input.length - PIECE) / (PIECES - 1))
    for (let i = 0; i < PIECES; i++) input.copy(sample, i * PIECE, i * step, i * step + PIECE)
    if (zlib.deflateRawSync(sample, { level }).length > sample.length - sample.length / 32) return null
  }
  // One output chunk big enough for any block that is worth compressing, so
  // zlib allocates once per block instead of once per 16 KiB.
  const out = zlib.deflateRawSync(input, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: input.length + 1024 })
  const stored = input.length + 5 * Math.ceil(input.length / 65535)
  return out.length < stored ? out : null
}
`

/**
 * The compression worker. Blocks live in SharedArrayBuffers that the main
 * thread allocates once and reuses for the whole archive: a message carries
 * only references, no bytes are copied to or from the thread, and the
 * garbage collector never sees a megabyte per block. The worker reads the
 * input block, writes the deflate bytes into the block's output buffer, and
 * answers with their length (-1: store the block) and the block's CRC-32
 * (when zlib.crc32 exists; the main thread joins the CRCs in order). Errors
 * are answered per block, so one bad block fails its archive, not the thread.
 */
export const DEFLATE_WORKER_SOURCE = `'use strict'
const { parentPort } = require('node:worker_threads')
const zlib = require('node:zlib')
${CODEC_SOURCE}
parentPort.on('message', (msg) => {
  const { id, input, length, output, level } = msg
  try {
    const block = Buffer.from(input, 0, length)
    const crc = typeof zlib.crc32 === 'function' ? zlib.crc32(block) : -1
    const out = compressBlock(zlib, block, level)
    if (out && out.length > output.byteLength) throw new Error('compressed block larger than its output buffer')
    if (out) new Uint8Array(output).set(out)
    parentPort.postMessage({ id, outLength: out ? out.length : -1, crc })
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) })
  }
})
`

/**
 * The hashing worker: sha256 of each file's content, fed with ranges of the
 * shared blocks in archive order. Hashing is sequential per file, so it
 * cannot be split over the compression workers; on its own thread it runs
 * alongside them and leaves the main thread to reading and writing. Every
 * message is answered, in order: 'update' once its ranges are hashed (the
 * block may then be reused), 'digest' with the file's hex sha256.
 */
export const HASH_WORKER_SOURCE = `'use strict'
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const hashes = new Map()
parentPort.on('message', (msg) => {
  try {
    if (msg.op === 'update') {
      const block = new Uint8Array(msg.input)
      for (const [file, start, end] of msg.ranges) {
        let h = hashes.get(file)
        if (!h) hashes.set(file, (h = createHash('sha256')))
        h.update(block.subarray(start, end))
      }
      parentPort.postMessage({ id: msg.id })
    } else {
      const h = hashes.get(msg.file) ?? createHash('sha256')
      hashes.delete(msg.file)
      parentPort.postMessage({ id: msg.id, hex: h.digest('hex') })
    }
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) })
  }
})
`

type CompressBlock = (z: typeof zlib, input: Buffer, level: number) => Buffer | null

let inline: CompressBlock | undefined

/** `compressBlock` on the calling thread, built from the same source the workers run. */
export function compressBlockInline(input: Buffer, level: number): Buffer | null {
  inline ??= new Function(`${CODEC_SOURCE}\nreturn compressBlock`)() as CompressBlock
  return inline(zlib, input, level)
}

/**
 * Stored deflate blocks for `input`: a 5-byte header (BFINAL 0, BTYPE 00,
 * already byte-aligned because every block before ends on a byte boundary;
 * LEN; NLEN) before each run of at most 65535 bytes. The payload is not
 * copied: the chunks are views of `input`, written with one writev.
 */
export function storedBlocks(input: Buffer): Buffer[] {
  const chunks: Buffer[] = []
  for (let off = 0; off < input.length; off += STORED_MAX) {
    const len = Math.min(STORED_MAX, input.length - off)
    const header = Buffer.allocUnsafe(5)
    header[0] = 0
    header.writeUInt16LE(len, 1)
    header.writeUInt16LE(~len & 0xffff, 3)
    chunks.push(header, input.subarray(off, off + len))
  }
  return chunks
}
