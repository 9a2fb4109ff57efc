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
import { describeFloat, FLOATS, formatBytes, runsOnGpu, type PackResult } from '../core/index.js'
import type { UploadedArtifact } from './upload.js'

export interface SummaryInput {
  result: PackResult
  /** The command run.sh runs, as given. */
  command: string
  artifact?: UploadedArtifact
  /** Why there is no artifact (upload: false, or the upload error). */
  artifactNote?: string
  /** The provenance statement written beside the archive, and its attestation when signed. */
  provenance?: { file: string; attestationUrl?: string; attestNote?: string }
  /** The dataset cache of this step ("the Actions cache"), if any: each dataset says whether it came from there. */
  datasetCache?: string
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

/** The commands that turn the artifact into a running job, in order; a GPU job is run with the GPUs. */
export function runCommands(jobId: string, gpu = false): string[] {
  const image = imageName(jobId)
  return [`tar -xzf ${jobId}.tar.gz && cd ${jobId}`, `docker build -t ${image} .`, `docker run --rm ${gpu ? '--gpus all ' : ''}${image}`]
}

/** The job uses CUDA or builds on a CUDA base: it is run with --gpus all. */
function usesGpu(result: PackResult): boolean {
  return runsOnGpu(result.manifest.environment?.gpu)
}

/** Where a dataset's bytes came from, and what became of them in the cache. */
export function datasetSource(d: PackResult['datasets'][number], cache: string | undefined): string {
  if (d.cached) return `from ${cache ?? 'the dataset cache'} (re-hashed)`
  if (!cache) return 'downloaded'
  if (!d.pinned) return 'downloaded; not cached (no data-sha256)'
  // A cached copy that was refused or did not match is said here too, not only in the log.
  const downloaded = d.cacheNotUsed ? `downloaded (the copy in ${cache} was not used: see the log)` : 'downloaded'
  if (d.saved === true) return `${downloaded}; saved to ${cache}`
  if (d.saved === false) return `${downloaded}; not saved to ${cache} (see the log)`
  return downloaded
}

export function renderSummary({ result, command, artifact, artifactNote, datasetCache, provenance }: SummaryInput): string {
  const row = (name: string, value: string): string => `<tr><th align="left">${name}</th><td>${value}</td></tr>`
  const code = (text: string): string => `<code>${cell(text)}</code>`
  const artifactCell = artifact
    ? `${artifact.url ? `<a href="${escapeHtml(artifact.url)}">${cell(artifact.name)}</a>` : code(artifact.name)} (id ${artifact.id}${artifact.replaced !== undefined ? `; replaced the earlier artifact id ${artifact.replaced} of this run` : ''})`
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
      ...baseImageRow(result, row, code),
      ...gpuRow(result, row, code),
      row('Artifact', artifactCell),
      row(
        'Provenance',
        provenance
          ? `${code(provenance.file)}${provenance.attestationUrl ? `, <a href="${escapeHtml(provenance.attestationUrl)}">attestation</a>` : provenance.attestNote ? `, ${cell(provenance.attestNote)}` : ''}`
          : cell('not written (provenance: false)')
      )
    ].join('')}</table>`,
    '',
    '<h3>Datasets</h3>',
    '',
    result.datasets.length === 0
      ? '<p>None: a code-only job.</p>'
      : `<table><tr><th>File</th><th>Size</th><th>sha256</th><th>Source</th></tr>${result.datasets
          .map(
            (d) =>
              `<tr><td>${code(`data/${d.name}`)}</td><td>${cell(formatBytes(d.size))}</td><td>${code(d.sha256)}</td><td>${cell(datasetSource(d, datasetCache))}</td></tr>`
          )
          .join('')}</table>`,
    ...submoduleSection(result),
    ...lfsSection(result, code),
    ...warningSection(result),
    '',
    ...environmentSection(result),
    '<h3>Command</h3>',
    '',
    `<pre><code>${escapeHtml(command)}</code></pre>`,
    '',
    '<h3>Unpack, build and run</h3>',
    '',
    `<pre lang="sh"><code>${escapeHtml(runCommands(result.jobId, usesGpu(result)).join('\n'))}</code></pre>`,
    ...(usesGpu(result)
      ? ['', '<p>On a GPU host: the NVIDIA driver and the NVIDIA Container Toolkit are needed for <code>--gpus all</code>.</p>']
      : []),
    ''
  ]
  return lines.join('\n')
}

/** The submodules, fetched or left empty; nothing when the commit has none. */
function submoduleSection(result: PackResult): string[] {
  if (result.submodules.length === 0) return []
  const rows = result.submodules
    .map(
      (s) =>
        `<tr><td><code>${cell(`code/${s.path}`)}</code></td><td><code>${cell(s.commit)}</code></td><td>${cell(s.url ?? 'no url in .gitmodules')}</td><td>${s.included ? 'included' : '<strong>left empty</strong>'}</td></tr>`
    )
    .join('')
  return ['', '<h3>Submodules</h3>', '', `<table><tr><th>Path</th><th>Commit</th><th>URL</th><th></th></tr>${rows}</table>`]
}

/** What was left out of the package, said as loudly as in the log; nothing when nothing was. */
function warningSection(result: PackResult): string[] {
  if (result.warnings.length === 0) return []
  return ['', '<h3>Left out</h3>', '', `<ul>${result.warnings.map((w) => `<li>${cell(w)}</li>`).join('')}</ul>`]
}

/** The base image the Dockerfile builds on; a base that floats (a tag without digest) is flagged as a warning. */
function baseImageRow(result: PackResult, row: (name: string, value: string) => string, code: (text: string) => string): string[] {
  const env = result.manifest.environment
  const pin = env?.base_image_pin
  if (!env?.base_image || !pin) return []
  if (pin.status === 'floats') {
    return [row('Base image', `${code(env.base_image)}<br>⚠️ <strong>${cell(FLOATS)}</strong>: ${cell(pin.reason ?? 'not resolved')}`)]
  }
  const how = pin.status === 'pinned' ? `pinned by digest${pin.multi_arch ? ' (multi-platform index)' : ''}` : 'digest as given'
  return [row('Base image', `${code(env.base_image)} ${cell(how)}`)]
}

/** The CUDA base, or CUDA-using packages on a plain base; nothing for a job that does not use CUDA. */
function gpuRow(result: PackResult, row: (name: string, value: string) => string, code: (text: string) => string): string[] {
  const gpu = result.manifest.environment?.gpu
  if (!gpu || !runsOnGpu(gpu)) return []
  return [
    row(
      'GPU',
      gpu.selected
        ? `CUDA runtime base ${code(gpu.base ?? '')} (${cell(gpu.reason)})`
        : `${cell(gpu.detected.join(', '))} use CUDA; no CUDA base (${cell(gpu.reason)})`
    )
  ]
}

/** The commit's Git LFS files: fetched (with their oids) or kept as pointers. */
function lfsSection(result: PackResult, code: (text: string) => string): string[] {
  const lfs = result.manifest.source.lfs
  if (!lfs) return []
  const shown = lfs.objects.slice(0, 50)
  const rows = shown
    .map((o) => `<tr><td>${code(`code/${o.path}`)}</td><td>${cell(formatBytes(o.size))}</td><td>${code(o.oid)}</td></tr>`)
    .join('')
  const more = lfs.objects.length > shown.length ? `<p>…and ${lfs.objects.length - shown.length} more (job.json lists all).</p>` : ''
  return [
    '',
    '<h3>Git LFS</h3>',
    '',
    `<p>${
      lfs.fetched
        ? `${lfs.objects.length} LFS file(s) fetched from ${code(lfs.endpoint ?? '')} and verified against their sha256.`
        : `<strong>${lfs.objects.length} LFS file(s) packaged as pointer files, without their content</strong> (lfs: false).`
    }</p>`,
    `<table><tr><th>File</th><th>Size</th><th>oid (sha256)</th></tr>${rows}</table>${more}`
  ]
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
  lines.push(...detectionList(result))
  return lines
}

/** What detection said: warnings first (files ignored, versions not honoured), then its notes; job.json has the same. */
function detectionList(result: PackResult): string[] {
  const env = result.manifest.environment
  const items = [...(env?.warnings ?? []).map((w) => `⚠️ ${cell(w)}`), ...(env?.notes ?? []).map((n) => cell(n))]
  if (items.length === 0) return []
  const shown = items.slice(0, 50)
  return [
    `<details${(env?.warnings ?? []).length > 0 ? ' open' : ''}><summary>Detection: ${env?.warnings?.length ?? 0} warning(s), ${env?.notes?.length ?? 0} note(s)</summary>`,
    '',
    `<ul>${shown.map((i) => `<li>${i}</li>`).join('')}</ul>${items.length > shown.length ? `<p>${items.length - shown.length} more in job.json.</p>` : ''}`,
    '',
    '</details>',
    ''
  ]
}

/** Appends the summary to GITHUB_STEP_SUMMARY; a no-op outside a runner. */
export async function writeSummary(input: SummaryInput): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(renderSummary(input), true).write()
}
