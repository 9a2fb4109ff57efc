/**
 * Joining CRC-32s (the gzip trailer's checksum) of blocks computed apart:
 * each worker takes the CRC of its own block with zlib.crc32, and the main
 * thread joins them in order with `crc32Combine`, which costs a few hundred
 * operations per block instead of a pass over the bytes. (zlib has
 * crc32_combine, but Node does not expose it.)
 *
 * The arithmetic: a CRC is the message as a polynomial over GF(2), times x^32,
 * modulo the generator P. Appending n zero bytes to A multiplies its CRC
 * register by x^(8n) mod P, so crc(A ‖ B) = crc(A) · x^(8·|B|) mod P  ⊕  crc(B)
 * (the initial and final inversions of the standard CRC cancel out in this
 * form). Polynomials are held bit-reflected, as in the CRC itself: bit 31 is
 * the coefficient of x^0, bit 0 that of x^31.
 */

/** The CRC-32 generator, reflected. */
const P = 0xedb88320
/** x^0 in reflected form. */
const ONE = 0x80000000

/** a · b mod P. */
function mulMod(a: number, b: number): number {
  let product = 0
  for (let bit = ONE; bit !== 0; bit >>>= 1) {
    if (a & bit) product ^= b
    // b · x mod P: a shift toward higher powers is a right shift in reflected form.
    b = b & 1 ? (b >>> 1) ^ P : b >>> 1
  }
  return product >>> 0
}

/** x^(8 · 2^k) mod P for k = 0..63, built by squaring. */
const POWERS: number[] = (() => {
  const out: number[] = []
  let p = ONE >>> 8 // x^8
  for (let k = 0; k < 64; k++) {
    out.push(p)
    p = mulMod(p, p)
  }
  return out
})()

/** x^(8n) mod P: the operator that appends n zero bytes. */
function shiftOperator(n: number): number {
  let op = ONE
  for (let k = 0; n > 0; k++, n = Math.floor(n / 2)) if (n % 2 === 1) op = mulMod(op, POWERS[k]!)
  return op
}

const operators = new Map<number, number>()

/** The CRC of A ‖ B from crc(A), crc(B) and B's length. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  let op = operators.get(lengthB)
  if (op === undefined) {
    op = shiftOperator(lengthB)
    // Almost every block has the same length; remember a few.
    if (operators.size < 16) operators.set(lengthB, op)
  }
  return (mulMod(op, crcA) ^ crcB) >>> 0
}
