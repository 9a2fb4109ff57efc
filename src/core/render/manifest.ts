/**
 * Renders `job.json`, the package's manifest. It is deterministic (no clock,
 * no host names, no cache hits), so the same spec and job id give the same
 * bytes. `job_id` is its first key, on a line of its own: run.sh reads it from
 * there with sed.
 */
import type { FrozenReport, Runtime } from '../detect/index.js'
import { PACKAGER_NAME, PACKAGER_VERSION } from '../../version.js'

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

export interface Manifest {
  job_id: string
  schema: 'job-packager/manifest@1'
  packager: { name: string; version: string }
  spec: { git_url: string; commit_hash: string; data_url: string[]; command: string }
  source: { git_url: string; commit: string; commit_time: string }
  datasets: ManifestDataset[]
  environment?: ManifestEnvironment
  /** sha256 over (mode, sha256, path) of every file except job.json; see archive/content-digest.ts. */
  content_digest: string
  /** Files and symlinks counted by the content digest. */
  files: number
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
    files: fields.files
  }
}

export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}
