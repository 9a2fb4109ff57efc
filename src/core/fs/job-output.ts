/**
 * The output folder's transaction: everything is built in a hidden staging
 * folder and a temporary archive beside the final paths, and only renamed into
 * `{out}/{job_id}/` and `{out}/{job_id}.tar.gz` once complete. A failure at
 * any point (error, signal, full disk) discards both, so a job folder or an
 * archive that exists under its final name is always whole.
 */
import { randomBytes } from 'node:crypto'
import { access, constants, lstat, mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { OutputError } from '../errors.js'

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
    readonly archiveTemp: string
  ) {
    this.jobDir = path.join(outDir, jobId)
    this.archivePath = path.join(outDir, `${jobId}.tar.gz`)
  }

  static async open(outDirOption: string, jobId: string): Promise<JobOutput> {
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
    const stagingDir = await mkdtemp(path.join(outDir, `.${jobId}.partial-`))
    const archiveTemp = path.join(outDir, `.${jobId}.tar.gz.partial-${randomBytes(6).toString('hex')}`)
    return new JobOutput(outDir, jobId, stagingDir, archiveTemp)
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
  }

  /** Removes everything this run wrote, unless it was committed. */
  async discard(): Promise<void> {
    if (this.committed) return
    await rm(this.stagingDir, { recursive: true, force: true })
    await rm(this.archiveTemp, { force: true })
  }
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ENOTDIR':
      return 'a part of the path is not a folder'
    case 'ENOENT':
      return 'no such file or folder'
    case 'EDQUOT':
      return 'disk quota exceeded'
    default:
      return (err as Error).message
  }
}
