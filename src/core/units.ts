/** Parsing of human-written quantities shared by both shells. */
import { SpecError } from './errors.js'

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }

/** "500M", "5G", "1048576" → bytes (binary units; an optional trailing "B" or "iB" is allowed). */
export function parseByteSize(text: string, field: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text)
  const n = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : NaN
  if (!Number.isSafeInteger(n))
    throw new SpecError(
      field,
      `${JSON.stringify(text)} is not a size`,
      'a number of bytes, optionally with K, M, G or T (powers of 1024), e.g. 500M'
    )
  return n
}
