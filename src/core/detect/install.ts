/**
 * What detection hands the Dockerfile and job.json about installing
 * dependencies: the steps (in order, each with the files it needs), which
 * file each ecosystem was installed from, and what is left to be chosen at
 * build time ("floats"). The frozen verdict (frozen.ts) is computed from the
 * last two, so the Dockerfile and the report cannot disagree: both come from
 * the same finding.
 */

/** One RUN of the Dockerfile. */
export interface InstallStep {
  /** The manifest this step installs from: "apt.txt", "uv.lock", "package-lock.json", … */
  from: string
  /**
   * 'system' and 'before-code' steps run before the code is copied; 'after-code' ones after;
   * all three as root. 'post-build' (postBuild) runs last, as the job's user.
   */
  stage: 'system' | 'before-code' | 'after-code' | 'post-build'
  /** Files from code/ copied ahead of a 'before-code' step (only what the installer reads). */
  copy: string[]
  /** The shell command, exactly as it appears in the Dockerfile's RUN: our fixed text and validated values only. */
  run: string
}

/** Which ecosystem a lock or manifest belongs to. */
export type Ecosystem = 'python' | 'conda' | 'node' | 'r' | 'julia' | 'debian'

/**
 * How much of an ecosystem's dependency set the file pins: 'locked' (every
 * package, transitive ones included, by version and, where the format has
 * them, by hash), 'partial' (some pins, or pins without the transitive set)
 * or 'none' (names and ranges only: versions are chosen at build time).
 */
export type Pinning = 'locked' | 'partial' | 'none'

/** The file an ecosystem's dependencies were installed from. */
export interface EcosystemInstall {
  ecosystem: Ecosystem
  /** A top-level file of code/ (our fixed names only). */
  file: string
  /** sha256 of that file's bytes, so a reader can tell which lock was honoured. */
  sha256?: string
  /** The tool and how it is run, e.g. "uv 0.8.15: uv sync --frozen". */
  installer: string
  pinning: Pinning
}

/**
 * Something whose version is chosen when the image is built, not when the job
 * was packaged. `kind` says what: an unpinned requirement (by name), a
 * dependency set that pins its listed packages but not what they pull in,
 * a Debian package without `=version`, or (added by the base-image
 * resolver) a base image tag without a digest.
 */
export interface Float {
  kind: 'requirement' | 'unlisted-dependencies' | 'system-package' | 'base-image'
  ecosystem?: Ecosystem
  /** A package name, a file name or an image reference. */
  name: string
  /** Where it was declared (a file of code/), when it was. */
  from?: string
  /** Why it floats, in a few words. */
  why: string
}

/** What one ecosystem's detector decided about installing. */
export interface InstallPlan {
  steps: InstallStep[]
  installs: EcosystemInstall[]
  floats: Float[]
}
