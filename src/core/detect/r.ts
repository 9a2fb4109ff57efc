/**
 * R: renv.lock, else DESCRIPTION, else install.R, on a rocker/r-ver image.
 *
 * - renv.lock: the image is rocker/r-ver at the lock's own R version
 *   (R.Version, checked to be X.Y.Z), and `renv::restore()` installs every
 *   locked package at its locked version into the image's site library, from
 *   renv.lock alone, before the code is copied. Frozen.
 * - DESCRIPTION: `remotes::install_deps()` from DESCRIPTION alone; install.R:
 *   `Rscript install.R` from install.R alone. Versions come from whatever
 *   repository the base image is set up with (rocker/r-ver uses a dated
 *   snapshot for its R version), so they are reported as floating.
 * Without a renv.lock the R version is DEFAULT_R.
 */
import { describeValue } from '../redact.js'
import { describeUnreadable, type CodeFiles } from './files.js'
import type { InstallPlan } from './install.js'
import type { Report } from './report.js'

export const DEFAULT_R = '4.4.2'

/**
 * A dated package snapshot server's URL with `{date}` where runtime.txt's
 * date goes (the r-snapshot-url option; no server is built in). Only a strict
 * character set, so it can be written into the Dockerfile's RUN line as is.
 */
const SNAPSHOT_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/[A-Za-z0-9._~%+/-]*\{date\}[A-Za-z0-9._~%+/-]*$/
export const SNAPSHOT_URL_ACCEPTED = 'an http(s) URL with {date} where the snapshot date goes, e.g. https://<snapshot server>/cran/{date}'

export function parseSnapshotUrl(text: string): string {
  if (!SNAPSHOT_URL.test(text) || text.split('{date}').length !== 2)
    throw new Error(`is not ${SNAPSHOT_URL_ACCEPTED} (letters, digits and ._~%+/- only)`)
  return text
}
const R_VERSION = /^(\d)\.(\d{1,2})\.(\d{1,2})$/

export function rImage(version: string): string {
  return `rocker/r-ver:${version}`
}

export interface RFinding extends InstallPlan {
  manifest: boolean
  hints: string[]
  version: string
  versionFrom: string
  reasons: string[]
}

/**
 * runtime.txt's R forms: r-X.Y[.Z], r-X.Y[.Z]-YYYY-MM-DD, r-YYYY-MM-DD. The
 * version picks the rocker/r-ver tag (X.Y.Z, or the X.Y line); the date is
 * the package snapshot the repository asks for (see detectR).
 */
export function parseRRuntime(line: string): { version?: string; date?: string } | undefined {
  const m = /^r-(?:(\d\.\d{1,2}(?:\.\d{1,2})?)(?:-(\d{4}-\d{2}-\d{2}))?|(\d{4}-\d{2}-\d{2}))$/.exec(line)
  if (!m) return undefined
  return { ...(m[1] ? { version: m[1] } : {}), ...((m[2] ?? m[3]) ? { date: m[2] ?? m[3] } : {}) }
}

export async function detectR(files: CodeFiles, report: Report, snapshotUrl?: string): Promise<RFinding | undefined> {
  const hints = files.names.filter((n) => /\.[Rr]$/.test(n) && n !== 'install.R').slice(0, 1)
  const runtimeAt = files.path('runtime.txt')
  const runtimeText = await files.read('runtime.txt', 4096)
  const line = runtimeText.state === 'ok' ? (runtimeText.text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim() : ''
  const runtime = /^r-/.test(line) ? parseRRuntime(line) : undefined
  if (/^r-/.test(line)) {
    hints.push(runtimeAt)
    if (!runtime)
      report.warnings.push(
        `${runtimeAt} ${describeValue(line, 60)} is not an R runtime this tool reads (r-X.Y.Z, r-X.Y.Z-YYYY-MM-DD or r-YYYY-MM-DD); ignored`
      )
  }
  const finding: RFinding = {
    manifest: false,
    hints,
    version: runtime?.version ?? DEFAULT_R,
    versionFrom: runtime?.version ? runtimeAt : 'default',
    steps: [],
    installs: [],
    floats: [],
    reasons: []
  }
  if (runtime?.date && snapshotUrl) {
    const url = snapshotUrl.replace('{date}', runtime.date)
    // Rprofile.site is read by every R session: the installs below, and the job's own.
    finding.steps.push({
      from: runtimeAt,
      stage: 'system',
      copy: [],
      run: `echo 'options(repos = c(CRAN = "${url}"))' >> "$(R RHOME)/etc/Rprofile.site"`
    })
    finding.reasons.push(`${runtimeAt}: R packages from the snapshot of ${runtime.date} (r-snapshot-url)`)
    report.notes.push(`${runtimeAt} asks for the R package snapshot of ${runtime.date}: R's CRAN repository is ${url} (r-snapshot-url)`)
  } else if (runtime?.date)
    report.warnings.push(
      `${runtimeAt} asks for the R package snapshot of ${runtime.date}; it is not applied: R packages come from the base image's package repository (rocker/r-ver's, a snapshot fixed per R version), so install.R and DESCRIPTION install what that repository has (set r-snapshot-url to a snapshot server to apply it)`
    )
  const lock = await files.read('renv.lock', 16 * 1024 * 1024)
  if (lock.state === 'ok') {
    let version: unknown
    let parsed = false
    try {
      version = (JSON.parse(lock.text) as { R?: { Version?: unknown } } | null)?.R?.Version
      parsed = true
    } catch {
      report.warnings.push('renv.lock is not valid JSON; ignored')
    }
    if (parsed) {
      if (typeof version === 'string' && R_VERSION.test(version) && Number(version[0]) >= 3) {
        if (runtime?.version && runtime.version !== version)
          report.notes.push(`${runtimeAt} asks for R ${runtime.version}; renv.lock (${version}) comes first`)
        finding.version = version
        finding.versionFrom = 'renv.lock'
      } else
        report.warnings.push(
          `renv.lock's R.Version ${describeValue(String(version), 40)} is not an R version (X.Y.Z); using R ${DEFAULT_R}`
        )
      finding.manifest = true
      finding.steps.push({
        from: 'renv.lock',
        stage: 'before-code',
        copy: ['renv.lock'],
        run: `Rscript -e 'install.packages("renv")' -e 'renv::restore(lockfile = "renv.lock", library = .libPaths()[1], prompt = FALSE)'`
      })
      finding.installs.push({
        ecosystem: 'r',
        file: 'renv.lock',
        sha256: await files.sha256('renv.lock'),
        installer: 'renv::restore()',
        pinning: 'locked'
      })
      finding.reasons.push('renv.lock: renv::restore()')
      report.notes.push(
        "renv itself is installed from the base image's package repository before restore; restore then installs the lock's own renv if it lists one"
      )
      for (const other of ['DESCRIPTION', 'install.R'])
        if (await files.isRegularFile(other)) report.notes.push(`${other} is also present; renv.lock is used`)
      return finding
    }
  } else if (lock.state !== 'missing') report.warnings.push(describeUnreadable('renv.lock', lock, 16 * 1024 * 1024))

  for (const [file, run, phrase] of [
    [
      'DESCRIPTION',
      `Rscript -e 'install.packages("remotes")' -e 'remotes::install_deps(dependencies = TRUE, upgrade = "never")'`,
      'DESCRIPTION: remotes::install_deps()'
    ],
    ['install.R', 'Rscript install.R', 'install.R: Rscript install.R']
  ] as const) {
    if (!(await files.isRegularFile(file))) continue
    if (finding.manifest) {
      report.notes.push(`${file} is also present; ${finding.steps[0]!.from} is used`)
      continue
    }
    finding.manifest = true
    const at = files.path(file)
    finding.steps.push({ from: at, stage: 'before-code', copy: [at], run: file === 'install.R' ? `Rscript ${at}` : run })
    finding.installs.push({
      ecosystem: 'r',
      file: at,
      sha256: await files.sha256(file),
      installer: file === 'install.R' ? 'Rscript install.R' : 'remotes::install_deps()',
      pinning: 'none'
    })
    finding.floats.push({
      kind: 'unlisted-dependencies',
      ecosystem: 'r',
      name: at,
      from: at,
      why: "no renv.lock: package versions come from the base image's package repository at build time"
    })
    finding.reasons.push(file === 'install.R' ? `${at}: Rscript ${at}` : phrase)
    // DESCRIPTION describes a package: once the code is there, the package itself is installed too.
    if (file === 'DESCRIPTION') {
      finding.steps.push({ from: at, stage: 'after-code', copy: [], run: 'R CMD INSTALL .' })
      finding.reasons.push('DESCRIPTION: the package itself is installed (R CMD INSTALL .)')
    }
    report.warnings.push(
      `${at} without a renv.lock: R package versions are chosen when the image is built (commit a renv.lock: renv::snapshot())`
    )
  }
  return finding.manifest || hints.length > 0 ? finding : undefined
}
