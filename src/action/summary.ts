/**
 * The job summary: what was packaged, where to get it, and the three
 * commands that unpack, build and run it.
 *
 * Written as HTML (which GitHub's Markdown renders) rather than Markdown
 * tables, so user text needs one kind of escaping only: every value that
 * comes from the spec or a server goes through `escapeHtml`. Table cells
 * never hold new lines (a blank line would end the HTML block and turn the
 * rest into Markdown); the multi-line command goes into a <pre>, which
 * CommonMark keeps whole up to its closing tag, and which the escaping keeps
 * the command from closing early.
 */
import * as core from '@actions/core'
import { describeFloat, formatBytes, type PackResult } from '../core/index.js'
import type { UploadedArtifact } from './upload.js'

export interface SummaryInput {
  result: PackResult
  /** The command run.sh runs, as given. */
  command: string
  artifact?: UploadedArtifact
  /** Why there is no artifact (upload: false, or the upload error). */
  artifactNote?: string
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`)
}

/** One table cell's text: escaped, on one line. */
function cell(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>')
}

/**
 * A `docker build -t` name for the job id: lower case, and where the id has
 * runs Docker refuses (a leading `_` or `.`, `..`, `___`, a trailing
 * separator) those become a single `-`.
 */
export function imageName(jobId: string): string {
  const lower = jobId.toLowerCase()
  if (/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(lower)) return lower
  const cleaned = lower
    .replace(/[^a-z0-9]+/g, (sep) => (sep === '.' || sep === '_' || sep === '__' || /^-+$/.test(sep) ? sep : '-'))
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
  return cleaned || 'job'
}

/** The commands that turn the artifact into a running job, in order. */
export function runCommands(jobId: string): string[] {
  const image = imageName(jobId)
  return [`tar -xzf ${jobId}.tar.gz && cd ${jobId}`, `docker build -t ${image} .`, `docker run --rm ${image}`]
}

export function renderSummary({ result, command, artifact, artifactNote }: SummaryInput): string {
  const row = (name: string, value: string): string => `<tr><th align="left">${name}</th><td>${value}</td></tr>`
  const code = (text: string): string => `<code>${cell(text)}</code>`
  const artifactCell = artifact
    ? `${artifact.url ? `<a href="${escapeHtml(artifact.url)}">${cell(artifact.name)}</a>` : code(artifact.name)} (id ${artifact.id})`
    : cell(artifactNote ?? 'not uploaded')
  const lines = [
    `<h2>Packaged job ${cell(result.jobId)}</h2>`,
    '',
    `<table>${[
      row('Job id', code(result.jobId)),
      row('Repository', cell(result.manifest.source.git_url)),
      row('Commit', `${code(result.commit)} (${cell(result.commitTime)})`),
      row('Archive', `${code(`${result.jobId}.tar.gz`)}, ${cell(formatBytes(result.archiveBytes))} (${result.archiveBytes} bytes)`),
      row('Archive sha256', code(result.archiveSha256)),
      row('Content digest', code(result.contentDigest)),
      row('Artifact', artifactCell)
    ].join('')}</table>`,
    '',
    '<h3>Datasets</h3>',
    '',
    result.datasets.length === 0
      ? '<p>None: a code-only job.</p>'
      : `<table><tr><th>File</th><th>Size</th><th>sha256</th></tr>${result.datasets
          .map((d) => `<tr><td>${code(`data/${d.name}`)}</td><td>${cell(formatBytes(d.size))}</td><td>${code(d.sha256)}</td></tr>`)
          .join('')}</table>`,
    '',
    ...environmentSection(result),
    '<h3>Command</h3>',
    '',
    `<pre><code>${escapeHtml(command)}</code></pre>`,
    '',
    '<h3>Unpack, build and run</h3>',
    '',
    `<pre lang="sh"><code>${escapeHtml(runCommands(result.jobId).join('\n'))}</code></pre>`,
    ''
  ]
  return lines.join('\n')
}

const VERDICT_TEXT = {
  frozen: 'Frozen: every dependency comes from a lock; nothing is chosen at build time.',
  partly: 'Partly frozen: the items below are chosen when the image is built.',
  not: 'Not frozen: dependencies are declared without a lock, so their versions are chosen when the image is built.'
} as const

/** The frozen verdict, the file each ecosystem was installed from, and what floats (job.json has the same). */
function environmentSection(result: PackResult): string[] {
  const frozen = result.manifest.environment?.frozen
  if (!frozen) return []
  const code = (text: string): string => `<code>${cell(text)}</code>`
  const lines = ['<h3>Environment</h3>', '', `<p><strong>${cell(VERDICT_TEXT[frozen.verdict])}</strong></p>`, '']
  if (frozen.ecosystems.length > 0)
    lines.push(
      `<table><tr><th>Ecosystem</th><th>File</th><th>Installed with</th><th>Pins</th><th>sha256</th></tr>${frozen.ecosystems
        .map(
          (e) =>
            `<tr><td>${cell(e.ecosystem)}</td><td>${code(e.file)}</td><td>${cell(e.installer)}</td><td>${cell(e.pinning)}</td><td>${e.sha256 ? code(e.sha256) : ''}</td></tr>`
        )
        .join('')}</table>`,
      ''
    )
  if (frozen.floats.length > 0)
    lines.push(
      `<table><tr><th>Floats</th><th>Why</th></tr>${frozen.floats
        .slice(0, 50)
        .map((f) => `<tr><td>${cell(describeFloat(f))}</td><td>${cell(f.why)}</td></tr>`)
        .join('')}</table>`,
      ...(frozen.floats.length > 50 ? [`<p>${frozen.floats.length - 50} more in job.json.</p>`] : []),
      ''
    )
  return lines
}

/** Appends the summary to GITHUB_STEP_SUMMARY; a no-op outside a runner. */
export async function writeSummary(input: SummaryInput): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(renderSummary(input), true).write()
}
