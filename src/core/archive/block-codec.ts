/**
 * How one block of the archive's byte stream becomes deflate bytes. This is
 * the only code that decides what the compressed archive looks like, and it
 * has one definition: the compression threads (deflate-worker.ts) import
 * `compressBlock` from here, and so does the main thread for archives too
 * small to be worth a thread (parallel-gzip.ts). Two copies could drift
 * apart; one function cannot.
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

/** The incompressibility sample: PIECES pieces of PIECE bytes, spread over the block. */
const PIECE = 4096
const PIECES = 4

/**
 * Raw deflate bytes for `input` that end on a byte boundary without the
 * final-block bit (a sync flush: zlib appends an empty stored block), or
 * `null` when the block is to be stored as it is.
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
export function compressBlock(input: Buffer, level: number): Buffer | null {
  if (input.length >= PIECE * PIECES * 4) {
    const sample = Buffer.allocUnsafe(PIECE * PIECES)
    const step = Math.floor((input.length - PIECE) / (PIECES - 1))
    for (let i = 0; i < PIECES; i++) input.copy(sample, i * PIECE, i * step, i * step + PIECE)
    if (zlib.deflateRawSync(sample, { level }).length > sample.length - sample.length / 32) return null
  }
  // One output chunk big enough for any block that is worth compressing, so
  // zlib allocates once per block instead of once per 16 KiB.
  const out = zlib.deflateRawSync(input, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: input.length + 1024 })
  const stored = input.length + 5 * Math.ceil(input.length / STORED_MAX)
  return out.length < stored ? out : null
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
