/** Human-written quantities: parsing sizes, and showing byte counts. */

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }

/**
 * "500M", "5G", "1048576" → bytes (binary units; an optional trailing "B" or
 * "iB" is allowed). Throws RangeError for anything else; the option registry
 * turns that into a message naming the option (options/kinds.ts).
 */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text)
  const unit = m ? UNITS[(m[2] ?? '').toUpperCase()] : undefined
  const n = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN
  if (!Number.isSafeInteger(n)) throw new RangeError(`${JSON.stringify(text)} is not a size`)
  return n
}

/** A byte count for people: "512 B", "1.5 MiB" (binary units, like parseByteSize). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(1)} ${units[i]}`
}
