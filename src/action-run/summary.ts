/**
 * The run sub-action's job summary: how the job ended (exit code, or why it
 * was stopped), how long each phase took, what it produced, where the result
 * is, and the last lines it printed.
 *
 * Same rules as the packaging summary (action/summary.ts): HTML, every value
 * from the job or a server escaped, no new line inside a table cell. The log
 * tails are the job's own text: escaped inside a <pre>, which the escaping
 * keeps the text from closing early.
 */
import * as core from '@actions/core'
import { formatBytes, type RunResult } from '../core/index.js'
import { escapeHtml } from '../action/summary.js'
import type { UploadedArtifact } from '../action/upload.js'
import type { DownloadedPackage } from './download.js'

export interface RunSummaryInput {
  result: RunResult
  /** Where the package came from. */
  source: DownloadedPackage & { where: string }
  artifact?: UploadedArtifact
  /** Why there is no result artifact (upload: false, or the upload error). */
  artifactNote?: string
}

/** Milliseconds as seconds, one decimal: timings of a job, not a benchmark. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

const STOPPED: Record<NonNullable<RunResult['stopped']>, string> = {
  timeout: 'stopped at the timeout',
  'output-limit': 'stopped: it wrote more than the output limit',
  signal: 'stopped: the run was cancelled'
}

/** One line on how the job ended, for the heading, the log and the failure message. */
export function describeEnd(result: RunResult): string {
  if (result.stopped) return `${STOPPED[result.stopped]} (exit code ${result.exitCode})`
  return result.exitCode === 0 ? 'succeeded (exit code 0)' : `failed with exit code ${result.exitCode}`
}

function cell(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>')
}

export function renderRunSummary({ result, source, artifact, artifactNote }: RunSummaryInput): string {
  const row = (name: string, value: string): string => `<tr><th align="left">${name}</th><td>${value}</td></tr>`
  const code = (text: string): string => `<code>${cell(text)}</code>`
  const resultCell = artifact
    ? `${artifact.url ? `<a href="${escapeHtml(artifact.url)}">${cell(artifact.name)}</a>` : code(artifact.name)} (id ${artifact.id})`
    : cell(artifactNote ?? 'not uploaded')
  const t = result.timings
  const cut = (['stdout', 'stderr', 'output'] as const).filter((k) => result.truncated[k])
  const tail = (name: 'stdout' | 'stderr', text: string): string[] =>
    text === ''
      ? [`<h3>${name}</h3>`, '', '<p>(empty)</p>', '']
      : [`<h3>${name} (last lines)</h3>`, '', `<pre><code>${escapeHtml(text)}</code></pre>`, '']
  const lines = [
    `<h2>Job ${cell(result.jobId)} ${cell(describeEnd(result))}</h2>`,
    '',
    `<table>${[
      row('Job id', code(result.jobId)),
      row('Exit code', code(String(result.exitCode))),
      ...(result.stopped ? [row('Stopped', cell(STOPPED[result.stopped]))] : []),
      row('Package', `${code(source.artifactName)} (id ${source.artifactId}) from ${cell(source.where)}`),
      row('Content digest', code(result.contentDigest)),
      row('Engine', cell(`${result.engine.name} ${result.engine.version}`.trim())),
      ...(result.imageId ? [row('Image', `${code(result.imageTag ?? '')} ${code(result.imageId)}`)] : []),
      row('User', code(result.user)),
      row('Output', cell(`${result.output.files} file${result.output.files === 1 ? '' : 's'}, ${formatBytes(result.output.bytes)}`)),
      ...(cut.length > 0 ? [row('Cut short', cell(`${cut.join(', ')} (past the limit; see result.json)`))] : []),
      row('Result sha256', code(result.resultSha256)),
      row('Result artifact', resultCell)
    ].join('')}</table>`,
    '',
    '<h3>Timings</h3>',
    '',
    `<table><tr><th>Verify</th><th>Build</th><th>Run</th><th>Capture</th><th>Total</th></tr><tr>${[
      t.verifyMs,
      t.buildMs,
      t.runMs,
      t.captureMs,
      t.totalMs
    ]
      .map((ms) => `<td>${seconds(ms)}</td>`)
      .join('')}</tr></table>`,
    '',
    ...(result.warnings.length > 0
      ? ['<h3>Warnings</h3>', '', `<ul>${result.warnings.map((w) => `<li>${cell(w)}</li>`).join('')}</ul>`, '']
      : []),
    ...tail('stdout', result.stdoutTail),
    ...tail('stderr', result.stderrTail)
  ]
  return lines.join('\n')
}

/** Appends the summary to GITHUB_STEP_SUMMARY; a no-op outside a runner. */
export async function writeRunSummary(input: RunSummaryInput): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(renderRunSummary(input), true).write()
}
