/**
 * The output folder's transaction: everything is built in a hidden staging
 * folder and a temporary archive beside the final paths, and only renamed into
 * `{out}/{job_id}/` and `{out}/{job_id}.tar.gz` once complete. A failure at
 * any point (error, signal, full disk) discards both, so a job folder or an
 * archive that exists under its final name is always whole.
 *
 * A run that is killed outright (SIGKILL, a power cut) cannot discard
 * anything. So each run leaves an owner file beside its partial paths,
 * `.{id}.partial-{hex}.owner`, naming its host, pid and start time, and every
 * run removes the partial paths of owners that are gone: same host, and no
 * process with that pid and start time. The owner file is beside the staging
 * folder, not in it, because that folder becomes the job and is packed. A
 * partial folder without an owner file (or from another host sharing the
 * output folder) is left alone: nothing says who else might be writing there.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { access, constants, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { OutputError } from '../errors.js'
import type { Logger } from '../logger.js'
import { asDiskFull, DiskFullError } from './disk-full.js'
import { describeFsError } from './fs-errors.js'

interface Owner {
  host: string
  pid: number
  /** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat); elsewhere null. */
  start: string | null
}

const OWNER = /^\.(.+)\.partial-([0-9a-f]{12})\.owner$/

export class JobOutput {
  readonly jobDir: string
  readonly archivePath: string
  private committed = false

  private constructor(
    readonly outDir: string,
    readonly jobId: string,
    /** Where the job folder is built. */
    readonly stagingDir: string,
    /** Where the archive is written before it is renamed. */
    readonly archiveTemp: string,
    /** This run's owner file (see the top of this file). */
    private readonly ownerFile: string
  ) {
    this.jobDir = path.join(outDir, jobId)
    this.archivePath = path.join(outDir, `${jobId}.tar.gz`)
  }

  static async open(outDirOption: string, jobId: string, logger?: Logger): Promise<JobOutput> {
    const outDir = path.resolve(outDirOption)
    try {
      await mkdir(outDir, { recursive: true })
      const st = await lstat(outDir)
      if (!st.isDirectory() && !st.isSymbolicLink()) throw new OutputError(`The output folder ${outDir} is not a folder.`)
      await access(outDir, constants.W_OK)
    } catch (err) {
      if (err instanceof OutputError) throw err
      throw new OutputError(`The output folder ${outDir} cannot be used: ${describeFsError(err)}.`, { cause: err })
    }
    for (const final of [path.join(outDir, jobId), path.join(outDir, `${jobId}.tar.gz`)]) {
      const exists = await lstat(final).then(
        () => true,
        () => false
      )
      if (exists) {
        throw new OutputError(`${final} already exists. Job ids name their output: choose another job_id, or remove the old job first.`)
      }
    }
    await removeStale(outDir, logger)
    const suffix = randomBytes(6).toString('hex')
    const { stagingDir, archiveTemp, ownerFile } = partialPaths(outDir, jobId, suffix)
    try {
      // The owner file first: a run killed right after it leaves nothing unclaimed.
      await writeFile(ownerFile, JSON.stringify(currentOwner()) + '\n', { flag: 'wx', mode: 0o644 })
      await mkdir(stagingDir, { mode: 0o700 })
    } catch (err) {
      await rm(ownerFile, { force: true })
      const full = await asDiskFull(err, outDir)
      if (full instanceof DiskFullError) throw full
      throw new OutputError(`Could not create a staging folder in ${outDir}: ${describeFsError(err)}.`, { cause: err })
    }
    return new JobOutput(outDir, jobId, stagingDir, archiveTemp, ownerFile)
  }

  /** Renames the staging folder and the archive to their final names. */
  async commit(): Promise<void> {
    try {
      await rename(this.stagingDir, this.jobDir)
    } catch (err) {
      throw new OutputError(`Could not move the job folder into place at ${this.jobDir}: ${describeFsError(err)}.`, { cause: err })
    }
    try {
      await rename(this.archiveTemp, this.archivePath)
    } catch (err) {
      await rm(this.jobDir, { recursive: true, force: true })
      throw new OutputError(`Could not move the archive into place at ${this.archivePath}: ${describeFsError(err)}.`, { cause: err })
    }
    this.committed = true
    await rm(this.ownerFile, { force: true })
  }

  /** Removes everything this run wrote, unless it was committed. */
  async discard(): Promise<void> {
    if (this.committed) return
    await rm(this.stagingDir, { recursive: true, force: true })
    await rm(this.archiveTemp, { force: true })
    await rm(this.ownerFile, { force: true })
  }
}

function partialPaths(outDir: string, jobId: string, suffix: string): { stagingDir: string; archiveTemp: string; ownerFile: string } {
  return {
    stagingDir: path.join(outDir, `.${jobId}.partial-${suffix}`),
    archiveTemp: path.join(outDir, `.${jobId}.tar.gz.partial-${suffix}`),
    ownerFile: path.join(outDir, `.${jobId}.partial-${suffix}.owner`)
  }
}

function currentOwner(): Owner {
  return { host: os.hostname(), pid: process.pid, start: startTime(process.pid) }
}

/** Linux only: field 22 of /proc/<pid>/stat, which tells a reused pid from the process that held it before. */
function startTime(pid: number): string | null {
  if (process.platform !== 'linux') return null
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after "(comm)", which may itself hold spaces and parentheses; starttime is the 20th of them.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

/** True when the process that wrote `owner` has certainly ended. */
function ownerGone(owner: Owner): boolean {
  if (owner.host !== os.hostname()) return false
  if (owner.pid === process.pid) return owner.start !== startTime(process.pid)
  try {
    process.kill(owner.pid, 0)
  } catch (err) {
    // EPERM: a process of another user holds the pid, so it is alive (and not ours).
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
  // The pid is alive: it is still the owner unless its start time shows that the pid was reused.
  return owner.start !== null && startTime(owner.pid) !== owner.start
}

/** Removes the partial paths left by runs on this host that were killed before they could clean up. */
async function removeStale(outDir: string, logger: Logger | undefined): Promise<void> {
  let names: string[]
  try {
    names = await readdir(outDir)
  } catch {
    return
  }
  for (const name of names) {
    const m = OWNER.exec(name)
    if (!m) continue
    let owner: Owner
    try {
      owner = JSON.parse(await readFile(path.join(outDir, name), 'utf8')) as Owner
    } catch {
      continue
    }
    if (typeof owner.pid !== 'number' || !ownerGone(owner)) continue
    const stale = partialPaths(outDir, m[1]!, m[2]!)
    try {
      await rm(stale.stagingDir, { recursive: true, force: true })
      await rm(stale.archiveTemp, { force: true })
      await rm(stale.ownerFile, { force: true })
      logger?.info(
        `Removed ${path.basename(stale.stagingDir)} from ${outDir}: left by an earlier run (process ${owner.pid}) that ended without cleaning up.`
      )
    } catch (err) {
      logger?.warn(`Could not remove ${stale.stagingDir}, left by an earlier run: ${describeFsError(err)}.`)
    }
  }
}
