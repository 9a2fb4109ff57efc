/**
 * A full disk, said as such whichever step hit it. The fetch writes with git
 * (init, config, fetch, checkout), the downloads, the renderer and the
 * archive writer all write into the same output folder, and the checkout and
 * the downloads run at once: the download can fill the disk and git's next
 * small write fail first, with git's own words ("failed to write new
 * configuration file …/config.lock", no errno). So an error is a full disk
 * when it says so (ENOSPC/EDQUOT, "No space left on device", "Disk quota
 * exceeded", anywhere in its cause chain), or when it is a failed write and
 * the file system holding the folder has (almost) no room left at that
 * moment — checked before the other branch is cancelled and frees its
 * partial file.
 */
import { statfs } from 'node:fs/promises'
import { OutputError } from '../errors.js'

/** The disk holding the output folder is full: what the user must read, whatever step hit it. */
export class DiskFullError extends OutputError {
  constructor(
    /** The folder on the full file system. */
    readonly folder: string,
    /** What the step that hit it said (its first line). */
    readonly detail: string,
    options?: { cause?: unknown }
  ) {
    super(
      `The disk holding ${folder} is full (no space left on the device): free some space there, or choose another output folder. (${detail})`,
      options
    )
    this.name = 'DiskFullError'
  }
}

// git's own words include "Out of diskspace" (a failed pack index or index.lock write).
const SAYS_FULL = /ENOSPC|EDQUOT|no space left on (?:the )?device|disk quota exceeded|out of diskspace/i
// What git and other tools print when a write fails without naming the errno (git config: "failed to write new
// configuration file …config.lock"; checkout: "unable to write file"; "write error"; "cannot copy").
const WRITE_FAILED =
  /(?:could not|failed to|unable to|cannot) (?:write|copy|create)|write error|short write|\.lock\b|index-pack|unpack-objects/i
/** Below this many free bytes, a failed write is taken for a full disk. */
const NEARLY_FULL = 1024 * 1024

function chain(err: unknown): unknown[] {
  const out: unknown[] = []
  for (let e = err; e !== undefined && e !== null && out.length < 10; e = (e as { cause?: unknown }).cause) out.push(e)
  return out
}

function text(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code
  return `${code ?? ''} ${e instanceof Error ? e.message : String(e)}`
}

/** Free bytes for an unprivileged writer on the file system holding `folder`; undefined if it cannot be read. */
async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const s = await statfs(folder)
    return s.bavail * s.bsize
  } catch {
    return undefined
  }
}

/** `err` as a DiskFullError naming `folder` when it comes from a full disk; otherwise `err` itself. */
export async function asDiskFull(err: unknown, folder: string): Promise<unknown> {
  if (err instanceof DiskFullError) return err
  const errors = chain(err)
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]!
  if (errors.some((e) => SAYS_FULL.test(text(e)))) return new DiskFullError(folder, first, { cause: err })
  if (errors.some((e) => WRITE_FAILED.test(text(e)))) {
    const free = await freeBytes(folder)
    if (free !== undefined && free < NEARLY_FULL) return new DiskFullError(folder, first, { cause: err })
  }
  return err
}
