/**
 * Provenance in a workflow: the run's coordinates for the statement the core
 * builds (core/provenance.ts), and signing it with GitHub's attestation
 * service (@actions/attest) when `attest: true`.
 *
 * Signing needs an OIDC token (`permissions: id-token: write`) and the right
 * to store attestations (`attestations: write`). Both are checked where they
 * can be: the OIDC endpoint's presence before anything is packaged, and each
 * refusal afterwards is turned into the permission the workflow is missing.
 */
import { JobPackagerError, type BuildContext, type ProvenanceStatement } from '../core/index.js'

export class AttestError extends JobPackagerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('attest', message, options)
    this.name = 'AttestError'
  }
}

const PERMISSIONS = 'permissions:\n  id-token: write\n  attestations: write\n  contents: read'

/** The permissions signing needs, as the workflow author would write them. */
export const ATTEST_PERMISSIONS = '`permissions: { id-token: write, attestations: write, contents: read }` on the job'

/** Why signing cannot work in this job, before any work is done; undefined when it may. */
export function attestUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
    return 'needs an OIDC token to sign, and this job has none (ACTIONS_ID_TOKEN_REQUEST_URL is not set)'
  return undefined
}

/** The workflow run as the statement names it: builder, invocation, workflow and platform facts. */
export function githubBuildContext(startedOn: Date, finishedOn: Date, env: NodeJS.ProcessEnv = process.env): BuildContext {
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const repository = env.GITHUB_REPOSITORY
  // GITHUB_WORKFLOW_REF: "owner/repo/.github/workflows/file.yml@refs/heads/main".
  const workflowRef = env.GITHUB_WORKFLOW_REF
  const at = workflowRef?.lastIndexOf('@') ?? -1
  const workflowPath = workflowRef && at > 0 && repository ? workflowRef.slice(0, at).replace(`${repository}/`, '') : undefined
  const platform: Record<string, string> = {}
  for (const [key, name] of [
    ['event_name', 'GITHUB_EVENT_NAME'],
    ['repository_id', 'GITHUB_REPOSITORY_ID'],
    ['repository_owner_id', 'GITHUB_REPOSITORY_OWNER_ID'],
    ['runner_environment', 'RUNNER_ENVIRONMENT'],
    ['sha', 'GITHUB_SHA']
  ] as const) {
    const value = env[name]
    if (value) platform[key] = value
  }
  return {
    builderId: workflowRef ? `${server}/${workflowRef}` : `${server}/${repository ?? 'unknown'}`,
    ...(repository && env.GITHUB_RUN_ID
      ? { invocationId: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}/attempts/${env.GITHUB_RUN_ATTEMPT ?? '1'}` }
      : {}),
    ...(repository && workflowPath && workflowRef
      ? { workflow: { repository: `${server}/${repository}`, ref: workflowRef.slice(at + 1), path: workflowPath } }
      : {}),
    ...(Object.keys(platform).length > 0 ? { platform } : {}),
    startedOn,
    finishedOn
  }
}

export interface Attestation {
  id?: string
  url?: string
}

/** Signs the statement (subject and predicate as written beside the archive) and stores it as an attestation of this repository. */
export async function attestStatement(
  statement: ProvenanceStatement,
  token: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<Attestation> {
  let result: Awaited<ReturnType<typeof import('@actions/attest').attest>>
  try {
    // Loaded only when signing: the Sigstore client is most of the bundle's weight and most runs never need it.
    const { attest } = await import('@actions/attest')
    result = await attest({
      subjects: statement.subject,
      predicateType: statement.predicateType,
      predicate: statement.predicate,
      token
    })
  } catch (err) {
    throw new AttestError(describeAttestFailure(err), { cause: err })
  }
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const id = result.attestationID
  return { id, url: id && env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}/attestations/${id}` : undefined }
}

function describeAttestFailure(err: unknown): string {
  const detail = (err instanceof Error ? err.message : String(err)).trim().replace(/\.$/, '')
  const intro = 'Signing the provenance statement failed'
  if (/id.?token|identity token|oidc/i.test(detail))
    return `${intro}: the job could not get an OIDC token (${detail}). The job needs these permissions:\n${PERMISSIONS}`
  if (/\b403\b|not accessible|forbidden|\b401\b/i.test(detail))
    return `${intro}: GitHub refused to store the attestation (${detail}). The job needs \`attestations: write\` (and \`id-token: write\`); attestations on private repositories also need a plan that offers them.`
  return `${intro}: ${detail}. The archive and its statement were written and uploaded; only the signature is missing.`
}
