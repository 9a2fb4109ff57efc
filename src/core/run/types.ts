/**
 * The public interface of `verify` and `run`: what a shell passes in and gets
 * back. Kept in a file of its own, free of implementation, so that the
 * shells (CLI, the `run` sub-action) can be written against it while the
 * implementation changes underneath.
 *
 *   verifyPackage(source, options, logger)  verify.ts
 *   runPackage(source, options, logger)     run/runner.ts
 *
 * `source` is a package archive (`{job_id}.tar.gz`) or an unpacked job folder
 * (`{job_id}/`, the one `pack` writes beside the archive).
 */
import type { Logger } from '../logger.js'
import type { Manifest } from '../render/manifest.js'

/** `auto`: docker (when its daemon answers), else podman, else buildah; never `none`. */
export type EngineName = 'auto' | 'buildah' | 'docker' | 'podman' | 'none'
/** The engines `auto` resolves to, and `none`. */
export type ResolvedEngineName = Exclude<EngineName, 'auto'>
export const ENGINE_NAMES: readonly EngineName[] = ['auto', 'buildah', 'docker', 'podman', 'none']

export type NetworkMode = 'none' | 'default'
export const NETWORK_MODES: readonly NetworkMode[] = ['none', 'default']

export interface VerifyOptions {
  /** sha256 (64 hex digits) the archive's bytes must have; only for an archive source. */
  expectedSha256?: string
  /**
   * The provenance statement to check the package against ({job_id}.intoto.json).
   * Undefined: the one beside an archive, if there is one; false: none.
   */
  statement?: string | false
  /** Most bytes of file content an archive may unpack to (default 24 GiB); refused beyond it, before it is written. */
  maxPackageBytes?: number
  /** Most entries (files, folders, symlinks) an archive may hold (default 500,000). */
  maxPackageEntries?: number
  signal?: AbortSignal
}

export interface VerifyResult {
  jobId: string
  /** The source as given, resolved to an absolute path. */
  source: string
  sourceKind: 'archive' | 'directory'
  /** sha256 of the archive's bytes (archive sources only). */
  archiveSha256?: string
  /** True when `expectedSha256` was given and matched. */
  archiveSha256Checked: boolean
  /** Recomputed over the tree; equal to the manifest's content_digest. */
  contentDigest: string
  /** Files and symlinks counted by the content digest. */
  files: number
  manifest: Manifest
  /** The provenance statement the package was checked against, if any. */
  statement?: string
}

export interface RunOptions {
  engine: EngineName
  /** Deadline for the job's own run (not the build), in milliseconds. */
  timeoutMs: number
  /** Memory limit as docker takes it (`512m`, `2g`); passed to the engine as given after validation. */
  memory?: string
  /** CPUs (may be fractional: 1.5). */
  cpus?: number
  network: NetworkMode
  /** docker's --gpus value (`all`, `device=0`); only docker and podman take it. */
  gpus?: string
  /** Where the package is extracted and the job's output folder lives; default: a fresh temporary folder, removed afterwards. */
  workDir?: string
  /** Folder that receives `{job_id}-result/` and `{job_id}-result.tar.gz`. */
  resultsDir: string
  /** sha256 the package archive must have (see VerifyOptions). */
  expectedSha256?: string
  /** The provenance statement to check the package against (see VerifyOptions). */
  statement?: string | false
  /** See VerifyOptions. */
  maxPackageBytes?: number
  maxPackageEntries?: number
  /** Most bytes the job may write into OUTPUT_DIR; beyond it the job is stopped and the excess left out. */
  maxOutputBytes: number
  /** Most bytes of stdout, and of stderr, kept in the result; the rest is counted, not kept. */
  maxLogBytes: number
  /** `KEY=VALUE` build arguments (e.g. BASE_IMAGE=… for a mirrored base image); recorded in result.json. */
  buildArgs?: string[]
  /**
   * The package is trusted: the engine may build and run it with the isolation it is configured for (buildah's chroot
   * isolation, the host's network for the build). Default false: see run/sandbox.ts.
   */
  trustPackage?: boolean
  /** The job's stdout and stderr as they arrive (the CLI shows them live). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void
  /** Stops the build or the job (the container, or the process group) and ends the run; the result says so. */
  signal?: AbortSignal
}

/** Why the job did not run to its own end. */
export type StopReason = 'timeout' | 'output-limit' | 'signal'

export interface RunResult {
  jobId: string
  /** The job's exit status; when it was stopped, the status the engine reported for that (see `stopped`). */
  exitCode: number
  /** Stopped at `timeoutMs`. */
  timedOut: boolean
  stopped?: StopReason
  engine: { name: ResolvedEngineName; version: string }
  /** Built and run isolated as an untrusted package (false: trusted, or the none engine). */
  isolated: boolean
  /** The image built (container engines). */
  imageId?: string
  imageTag?: string
  /** The user the job ran as, as the engine was told (`10001:10001`), or the host user for `none`. */
  user: string
  contentDigest: string
  timings: { verifyMs: number; buildMs: number; runMs: number; captureMs: number; totalMs: number }
  /** `{resultsDir}/{job_id}-result/` */
  resultDir: string
  /** `{resultsDir}/{job_id}-result.tar.gz` */
  resultArchive: string
  resultSha256: string
  /** The last few KiB of each stream, for a summary. */
  stdoutTail: string
  stderrTail: string
  truncated: { stdout: boolean; stderr: boolean; output: boolean }
  /** Bytes and files captured from OUTPUT_DIR. */
  output: { bytes: number; files: number }
  /** Limits asked for that the engine could not enforce, and anything else the user must know; also in result.json and the log. */
  warnings: string[]
}

/** verify.ts's verifyPackage. */
export type VerifyPackage = (source: string, options: VerifyOptions, logger: Logger) => Promise<VerifyResult>
/** run/runner.ts's runPackage. */
export type RunPackage = (source: string, options: RunOptions, logger: Logger) => Promise<RunResult>
