/**
 * The provenance of a package: an in-toto statement (SLSA provenance v1
 * predicate) whose subject is `{job_id}.tar.gz` by its sha256, and whose
 * resolved dependencies are exactly what went into it — the commit (and any
 * submodule commits) and each dataset by sha256. It ties an archive to the
 * spec, the inputs and the run that made it; `attest` in the Action has it
 * signed, and `job-packager verify --provenance` checks a package against it.
 *
 * Everything in it comes from job.json (already redacted, already safe to
 * publish) and from what the shell says about where it runs: the core does
 * not read the environment. URLs are the redacted ones, never a token.
 */
import { writeFile, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { PACKAGER_NAME, PACKAGER_VERSION } from '../version.js'
import { describeFsError } from './fs/fs-errors.js'
import { OutputError } from './errors.js'
import type { Manifest } from './render/manifest.js'

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1'
/** What "build" means here: packing a job spec (documented in docs/ACTION.md, "Provenance"). */
export const BUILD_TYPE = 'urn:job-packager:pack:v1'

/** Where the packaging ran, as the shell knows it. */
export interface BuildContext {
  /** Who built: the workflow (in Actions) or the packager itself (CLI). */
  builderId: string
  /** A URI for this run, e.g. the workflow run's attempt page. */
  invocationId?: string
  /** The workflow that ran the packager (Actions only). */
  workflow?: { repository: string; ref: string; path: string }
  /** Facts about the platform worth keeping (event name, runner environment, …). */
  platform?: Record<string, string>
  startedOn: Date
  finishedOn: Date
}

export interface ResourceDescriptor {
  uri?: string
  name?: string
  digest: Record<string, string>
}

export interface ProvenanceStatement {
  _type: typeof STATEMENT_TYPE
  subject: Array<{ name: string; digest: { sha256: string } }>
  predicateType: typeof SLSA_PROVENANCE_V1
  predicate: {
    buildDefinition: {
      buildType: typeof BUILD_TYPE
      externalParameters: {
        job: Manifest['spec'] & { job_id: string }
        workflow?: BuildContext['workflow']
      }
      internalParameters: { packager: { name: string; version: string }; content_digest: string; platform?: Record<string, string> }
      resolvedDependencies: ResourceDescriptor[]
    }
    runDetails: {
      builder: { id: string; version: Record<string, string> }
      metadata: { invocationId?: string; startedOn: string; finishedOn: string }
    }
  }
}

export interface ProvenanceSubject {
  /** The archive's file name, `{job_id}.tar.gz`. */
  archiveName: string
  archiveSha256: string
  manifest: Manifest
}

export function buildProvenance(subject: ProvenanceSubject, context: BuildContext): ProvenanceStatement {
  const { manifest } = subject
  const { source } = manifest
  const dependencies: ResourceDescriptor[] = [
    { uri: gitUri(source.git_url, source.commit), name: 'code', digest: { gitCommit: source.commit } },
    // A submodule left empty is not in the package, so not a dependency of it (job.json's warnings say so).
    ...source.submodules
      .filter((s) => s.included)
      .map((s) => ({
        ...(s.url ? { uri: gitUri(s.url, s.commit) } : {}),
        name: path.posix.join('code', s.path),
        digest: { gitCommit: s.commit }
      })),
    ...manifest.datasets.map((d) => ({ uri: d.url, name: `data/${d.name}`, digest: { sha256: d.sha256 } }))
  ]
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: subject.archiveName, digest: { sha256: subject.archiveSha256 } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: {
          job: { job_id: manifest.job_id, ...manifest.spec },
          ...(context.workflow ? { workflow: context.workflow } : {})
        },
        internalParameters: {
          packager: { name: PACKAGER_NAME, version: PACKAGER_VERSION },
          content_digest: manifest.content_digest,
          ...(context.platform ? { platform: context.platform } : {})
        },
        resolvedDependencies: dependencies
      },
      runDetails: {
        builder: { id: context.builderId, version: { [PACKAGER_NAME]: PACKAGER_VERSION } },
        metadata: {
          ...(context.invocationId ? { invocationId: context.invocationId } : {}),
          startedOn: context.startedOn.toISOString(),
          finishedOn: context.finishedOn.toISOString()
        }
      }
    }
  }
}

/** The statement's file beside the archive: `{job_id}.intoto.json`. */
export function provenancePath(archivePath: string): string {
  return archivePath.replace(/\.tar\.gz$/, '') + '.intoto.json'
}

/** Writes the statement beside the archive, whole or not at all (temp file + rename). */
export async function writeProvenance(archivePath: string, statement: ProvenanceStatement): Promise<string> {
  const target = provenancePath(archivePath)
  const temp = `${target}.partial-${process.pid}`
  try {
    await writeFile(temp, `${JSON.stringify(statement, null, 2)}\n`, { flag: 'wx' })
    await rename(temp, target)
  } catch (err) {
    await rm(temp, { force: true })
    throw new OutputError(`Could not write the provenance statement ${target}: ${describeFsError(err)}.`, { cause: err })
  }
  return target
}

/** The CLI's builder: the packager itself, named as a package URL. */
export function packagerBuilderId(): string {
  return `pkg:npm/${PACKAGER_NAME}@${PACKAGER_VERSION}`
}

/** SLSA's convention for a git dependency: `git+<url>@<commit>`. */
function gitUri(url: string, commit: string): string {
  return `${url.startsWith('git+') ? '' : 'git+'}${url}@${commit}`
}
