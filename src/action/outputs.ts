/**
 * The Action's outputs, defined once: action.yml's `outputs:` is generated
 * from this table (action-yml.ts) and main.ts sets them through `setOutputs`,
 * whose type only takes these names.
 */
import * as core from '@actions/core'

export const ACTION_OUTPUTS = {
  'job-id': 'The job id (also the top folder inside the archive).',
  'job-dir': 'Absolute path of the job folder {output-dir}/{job-id}.',
  'archive-path': 'Absolute path of {output-dir}/{job-id}.tar.gz.',
  'archive-sha256': 'sha256 of the archive file (hex).',
  'content-digest': 'Digest of the packaged tree, independent of tar and gzip details.',
  commit: 'Full id of the commit that was packaged.',
  'artifact-id': 'Id of the uploaded artifact. Empty when upload is false or failed.',
  'artifact-url': "Link to the artifact on the run's page. Empty when not uploaded.",
  'artifact-digest': 'sha256 the artifact service recorded (hex), equal to archive-sha256. Empty when not uploaded.',
  'provenance-path': 'Absolute path of {output-dir}/{job-id}.intoto.json, the provenance statement. Empty when provenance is false.',
  'provenance-artifact-id': 'Id of the uploaded {job-id}.intoto.json artifact. Empty when not uploaded.',
  'attestation-id': 'Id of the signed attestation (attest: true). Empty otherwise.',
  'attestation-url': "Link to the attestation on the repository's page (attest: true). Empty otherwise."
} as const

export type ActionOutput = keyof typeof ACTION_OUTPUTS

export function setOutputs(values: Partial<Record<ActionOutput, string>>): void {
  for (const [name, value] of Object.entries(values)) if (value !== undefined) core.setOutput(name, value)
}
