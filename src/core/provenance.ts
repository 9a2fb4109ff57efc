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
import { OutputError, VerificationError } from './errors.js'
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

/**
 * Checks a package against its provenance statement: that the statement is
 * one of ours, names this archive (by its sha256) and exactly the commit and
 * datasets job.json records, and the same content digest. The package itself
 * has been verified already (verify.ts), so agreeing with job.json means
 * agreeing with the bytes. Throws VerificationError naming the field.
 */
export function checkProvenance(
  file: string,
  statement: unknown,
  pkg: { manifest: Manifest; archiveName?: string; archiveSha256?: string }
): void {
  const name = path.basename(file)
  const fail = (what: string): never => {
    throw new VerificationError(name, `${name} does not match the package: ${what}.`)
  }
  const s = statement as Partial<ProvenanceStatement> | null
  if (!s || typeof s !== 'object' || s._type !== STATEMENT_TYPE || s.predicateType !== SLSA_PROVENANCE_V1 || !s.predicate)
    fail(`it is not an in-toto statement with a SLSA provenance v1 predicate`)
  const { manifest } = pkg
  const subjects = Array.isArray(s!.subject) ? s!.subject : []
  if (pkg.archiveSha256 !== undefined) {
    const named = subjects.find((x) => x?.digest?.sha256 === pkg.archiveSha256)
    if (!named)
      fail(
        `no subject has the archive's sha256 ${pkg.archiveSha256} (it names ${subjects.map((x) => `${x?.name}: ${x?.digest?.sha256}`).join(', ') || 'nothing'})`
      )
    if (pkg.archiveName !== undefined && named!.name !== pkg.archiveName)
      fail(`the subject with this sha256 is named ${JSON.stringify(named!.name)}, not ${JSON.stringify(pkg.archiveName)}`)
  }
  const build = s!.predicate!.buildDefinition
  if (build?.externalParameters?.job?.job_id !== manifest.job_id)
    fail(`its job id is ${JSON.stringify(build?.externalParameters?.job?.job_id)}, job.json's ${JSON.stringify(manifest.job_id)}`)
  if (build.internalParameters?.content_digest !== manifest.content_digest)
    fail(`its content digest is ${build.internalParameters?.content_digest}, the package's ${manifest.content_digest}`)
  const deps = Array.isArray(build.resolvedDependencies) ? build.resolvedDependencies : []
  const code = deps.find((d) => d?.name === 'code')
  if (code?.digest?.gitCommit !== manifest.source.commit)
    fail(`it names commit ${code?.digest?.gitCommit}, job.json ${manifest.source.commit}`)
  const data = deps.filter((d) => typeof d?.name === 'string' && d.name.startsWith('data/'))
  const want = manifest.datasets.map((d) => `data/${d.name} ${d.sha256}`).sort()
  const have = data.map((d) => `${d.name} ${d.digest?.sha256}`).sort()
  if (want.join('\n') !== have.join('\n'))
    fail(`its datasets (${have.join(', ') || 'none'}) are not job.json's (${want.join(', ') || 'none'})`)
}
