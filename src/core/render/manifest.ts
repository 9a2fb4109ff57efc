/**
 * Renders `job.json`, the package's manifest. It is deterministic (no clock,
 * no host names, no cache hits), so the same spec and job id give the same
 * bytes. `job_id` is its first key, on a line of its own: run.sh reads it from
 * there with sed.
 */
import type { FrozenReport, GpuChoice, Runtime } from '../detect/index.js'
import { PACKAGER_NAME, PACKAGER_VERSION } from '../../version.js'
import type { BaseImagePinRecord } from '../oci/pin.js'

export interface ManifestDataset {
  name: string
  url: string
  size: number
  sha256: string
}

/**
 * What environment detection found and why (detect/), and how the image is
 * built: which Dockerfile, from which context, on which base, installing what.
 */
export interface ManifestEnvironment {
  /** One line, e.g. "python 3.12 from requires-python; requirements.txt". */
  summary: string
  /** "Dockerfile" (generated) or "code/Dockerfile" (the repository's own, use-repo-dockerfile). */
  dockerfile: 'Dockerfile' | 'code/Dockerfile'
  /** The folder to build, relative to the package: "." or "code". */
  build_context: '.' | 'code'
  runtime: Runtime
  base_image?: string
  base_image_from?: 'detection' | 'base-image option'
  /** What detection would have chosen, when the base-image option overrode it. */
  detected_base_image?: string
  /** Whether base_image is pinned by digest, to what, and if not, why it floats (oci/pin.ts). */
  base_image_pin?: BaseImagePinRecord
  /** The gpu option, the CUDA-using packages found, and whether the base is a CUDA runtime image (detect/gpu.ts). */
  gpu?: GpuChoice
  /** The configuration folder the environment files were read from ("binder", ".binder"); the root's were ignored. */
  config_folder?: string
  /** The repository's start script (path in code/), which run.sh runs the command through. */
  start?: string
  version?: string
  version_from?: string
  /** The version range declared by the repository, as written. */
  version_constraint?: string
  system_packages?: string[]
  /** The Dockerfile's install steps, in order. */
  install?: Array<{ from: string; stage: string; run: string }>
  /** How much of the environment the package decides: the verdict, the file each ecosystem used (sha256), what floats. */
  frozen?: FrozenReport
  notes?: string[]
  warnings?: string[]
}

/** A submodule of the commit: where it is, where it came from, at which commit, and whether its files are in code/. */
export interface ManifestSubmodule {
  path: string
  /** Absolute and redacted; absent when .gitmodules names no URL for it. */
  url?: string
  commit: string
  /** false: left an empty folder; `warnings` says why. */
  included: boolean
  /** Its own Git LFS files, when it has any. */
  lfs?: ManifestLfs
}

/** The commit's Git LFS files (git/lfs.ts). */
export interface ManifestLfs {
  /** true: code/ holds the objects; false: the pointer files (see warnings). */
  fetched: boolean
  /** Where the objects came from (redacted), when they were fetched. */
  endpoint?: string
  objects: Array<{ path: string; oid: string; size: number }>
}

export interface Manifest {
  job_id: string
  schema: 'job-packager/manifest@1'
  packager: { name: string; version: string }
  spec: { git_url: string; commit_hash: string; data_url: string[]; command: string }
  source: { git_url: string; commit: string; commit_time: string; submodules: ManifestSubmodule[]; lfs?: ManifestLfs }
  datasets: ManifestDataset[]
  environment?: ManifestEnvironment
  /** sha256 over (mode, sha256, path) of every file except job.json; see archive/content-digest.ts. */
  content_digest: string
  /** Files and symlinks counted by the content digest. */
  files: number
  /** What the package leaves out or keeps differently from the repository (submodules left empty, LFS pointers kept), one sentence each; each also logged as a warning. */
  warnings: string[]
}

export function buildManifest(fields: Omit<Manifest, 'schema' | 'packager'>): Manifest {
  return {
    job_id: fields.job_id,
    schema: 'job-packager/manifest@1',
    packager: { name: PACKAGER_NAME, version: PACKAGER_VERSION },
    spec: fields.spec,
    source: fields.source,
    datasets: fields.datasets,
    ...(fields.environment ? { environment: fields.environment } : {}),
    content_digest: fields.content_digest,
    files: fields.files,
    warnings: fields.warnings
  }
}

export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}
