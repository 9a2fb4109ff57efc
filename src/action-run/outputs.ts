/**
 * The run sub-action's outputs, defined once: run/action.yml's `outputs:` is
 * generated from this table (action/action-yml.ts) and main.ts sets them
 * through `setRunOutputs`, whose type only takes these names.
 */
import * as core from '@actions/core'

export const RUN_ACTION_OUTPUTS = {
  'exit-code':
    "The job's exit status (0: success). When the job was stopped (timeout, output limit, cancellation), the status the engine reported for that.",
  stopped: 'Why the job did not run to its own end: timeout, output-limit or signal. Empty when it ended by itself.',
  'result-dir': 'Absolute path of the result folder {results-dir}/{job-id}-result (result.json, stdout, stderr, output/).',
  'result-path': 'Absolute path of {results-dir}/{job-id}-result.tar.gz.',
  'result-sha256': 'sha256 of the result archive (hex).',
  'result-artifact-id': 'Id of the uploaded result artifact {job-id}-result.tar.gz. Empty when upload is false or failed.',
  'result-artifact-url': "Link to the result artifact on the run's page. Empty when not uploaded."
} as const

export type RunActionOutput = keyof typeof RUN_ACTION_OUTPUTS

export function setRunOutputs(values: Partial<Record<RunActionOutput, string>>): void {
  for (const [name, value] of Object.entries(values)) if (value !== undefined) core.setOutput(name, value)
}
