/**
 * Julia: Project.toml, with Manifest.toml when there is one, on the julia
 * image. With a Manifest.toml the image is Julia at the manifest's own
 * julia_version (checked to be X.Y.Z) and `Pkg.instantiate()` installs
 * exactly the manifest, from Project.toml and Manifest.toml alone, before
 * the code is copied: frozen. Without one, instantiate resolves
 * Project.toml's compat ranges at build time (floating), on DEFAULT_JULIA.
 * Packages go to a depot at /opt/julia; the job's own depot
 * (/home/job/.julia, writable) comes first on JULIA_DEPOT_PATH for what Julia
 * writes at run time.
 */
import { describeValue } from '../redact.js'
import type { CodeFiles } from './files.js'
import { nearest } from './python.js'
import { readTomlSummary } from './toml.js'
import { parseNpmRange, type VersionRange } from './versions.js'
import type { InstallPlan } from './install.js'
import type { Report } from './report.js'

export const DEFAULT_JULIA = '1.10'
/** Julia release lines with official `julia:X.Y` images, for Project.toml's [compat] julia. */
export const JULIA_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11'] as const

/**
 * Project.toml's `[compat] julia`: Pkg's compat syntax, a comma-separated
 * union of specifiers where a bare `1.6` and `^1.6` mean [1.6.0, 2.0.0),
 * `~1.6` means [1.6.0, 1.7.0), `=1.6.3` exactly, `>= 1.6` and `1.6 - 1.8`
 * what they say. Each is the same range in npm's syntax, which semver reads.
 */
export function parseJuliaCompat(text: string): VersionRange | undefined {
  if (text.length > 200) return undefined
  const parts = text.split(',').map((p) => p.trim())
  if (parts.some((p) => p === '')) return undefined
  const npm = parts.map((p) =>
    /^\d/.test(p) && !/ - /.test(p)
      ? `^${p}`
      : p
          .replace(/^=(?=\d)/, '')
          .replace(/^≥/, '>=')
          .replace(/^≤/, '<=')
  )
  return parseNpmRange(npm.join(' || '))
}
const JULIA_VERSION = /^1\.(\d{1,2})\.(\d{1,2})$/
export const JULIA_ENV = ['JULIA_PROJECT=/job/code', 'JULIA_DEPOT_PATH=/home/job/.julia:/opt/julia']

/** JULIA_ENV with the project where Project.toml is: /job/code, or its configuration folder. */
export function juliaEnv(files: CodeFiles): string[] {
  const folder = files.path('Project.toml').replace(/\/?Project\.toml$/, '')
  return folder === '' ? JULIA_ENV : [`JULIA_PROJECT=/job/code/${folder}`, JULIA_ENV[1]!]
}
const INSTANTIATE = `JULIA_DEPOT_PATH=/opt/julia julia -e 'using Pkg; Pkg.instantiate(); Pkg.precompile()'`

/** Pkg.instantiate() of the project where Project.toml is (the ENV's JULIA_PROJECT says the same for the job). */
function instantiate(files: CodeFiles): string {
  const folder = files.path('Project.toml').replace(/\/?Project\.toml$/, '')
  return folder === '' ? INSTANTIATE : `JULIA_PROJECT=/job/code/${folder} ${INSTANTIATE}`
}

export function juliaImage(version: string): string {
  return `julia:${version}`
}

export interface JuliaFinding extends InstallPlan {
  /** The ENV the image needs (JULIA_PROJECT where Project.toml is). */
  env: string[]
  manifest: boolean
  hints: string[]
  version: string
  versionFrom: string
  reasons: string[]
}

export async function detectJulia(files: CodeFiles, report: Report): Promise<JuliaFinding | undefined> {
  const hints = files.names.filter((n) => n.endsWith('.jl')).slice(0, 1)
  const finding: JuliaFinding = {
    env: juliaEnv(files),
    manifest: false,
    hints,
    version: DEFAULT_JULIA,
    versionFrom: 'default',
    steps: [],
    installs: [],
    floats: [],
    reasons: []
  }
  const project = await files.isRegularFile('Project.toml')
  if (files.names.includes('REQUIRE'))
    report.warnings.push(
      project
        ? `${files.path('REQUIRE')} (the package list of Julia before 1.0) is ignored; ${files.path('Project.toml')} is used`
        : `${files.path('REQUIRE')} (the package list of Julia before 1.0) is not installed: job-packager installs Julia 1.x packages from a Project.toml only`
    )
  const manifest = await files.isRegularFile('Manifest.toml')
  if (manifest && !project) report.warnings.push('Manifest.toml is present without a Project.toml, which Pkg needs; ignored')
  if (!project) return hints.length > 0 ? finding : undefined
  finding.manifest = true
  if (manifest) {
    const head = (await files.head('Manifest.toml', 8192)) ?? ''
    const version = /^julia_version\s*=\s*"([^"\n]{1,40})"/m.exec(head)?.[1]
    if (version && JULIA_VERSION.test(version)) {
      finding.version = version
      finding.versionFrom = 'Manifest.toml'
    } else
      report.warnings.push(
        version
          ? `Manifest.toml's julia_version ${describeValue(version, 40)} is not a Julia 1.x.y version; using Julia ${DEFAULT_JULIA}`
          : `Manifest.toml does not name its julia_version (an old manifest format); using Julia ${DEFAULT_JULIA}`
      )
    finding.steps.push({
      from: files.path('Manifest.toml'),
      stage: 'before-code',
      copy: [files.path('Project.toml'), files.path('Manifest.toml')],
      run: instantiate(files)
    })
    finding.installs.push({
      ecosystem: 'julia',
      file: files.path('Manifest.toml'),
      sha256: await files.sha256('Manifest.toml'),
      installer: 'Pkg.instantiate()',
      pinning: 'locked'
    })
    finding.reasons.push('Manifest.toml: Pkg.instantiate()')
  } else {
    await compatVersion(files, finding, report)
    finding.steps.push({
      from: files.path('Project.toml'),
      stage: 'before-code',
      copy: [files.path('Project.toml')],
      run: instantiate(files)
    })
    finding.installs.push({
      ecosystem: 'julia',
      file: files.path('Project.toml'),
      sha256: await files.sha256('Project.toml'),
      installer: 'Pkg.instantiate()',
      pinning: 'none'
    })
    finding.floats.push({
      kind: 'unlisted-dependencies',
      ecosystem: 'julia',
      name: files.path('Project.toml'),
      from: files.path('Project.toml'),
      why: 'no Manifest.toml: Pkg resolves the compat ranges at build time'
    })
    finding.reasons.push('Project.toml without a Manifest.toml: Pkg.instantiate() resolves it')
    report.warnings.push(
      'Project.toml without a Manifest.toml: package versions are chosen when the image is built (commit the Manifest.toml)'
    )
  }
  return finding
}

/** Without a Manifest.toml, [compat] julia picks the image's Julia line (DEFAULT_JULIA if allowed, else the nearest allowed). */
async function compatVersion(files: CodeFiles, finding: JuliaFinding, report: Report): Promise<void> {
  const status = await files.read('Project.toml')
  if (status.state !== 'ok') return
  const text = readTomlSummary(status.text)?.strings.get('compat.julia')
  if (text === undefined) return
  const range = parseJuliaCompat(text.trim())
  const at = files.path('Project.toml')
  if (!range) {
    report.warnings.push(
      `${at}'s [compat] julia ${describeValue(text, 60)} is not a compat range this tool understands; using Julia ${DEFAULT_JULIA}`
    )
    return
  }
  const version = nearest(
    JULIA_VERSIONS.filter((v) => range.allows(v)),
    JULIA_VERSIONS,
    DEFAULT_JULIA
  )
  if (!version) {
    report.warnings.push(
      `${at}'s [compat] julia ${describeValue(text, 60)} allows none of the Julia versions with an image here (${JULIA_VERSIONS.join(', ')}); using Julia ${DEFAULT_JULIA}`
    )
    return
  }
  finding.version = version
  finding.versionFrom = `${at} [compat] julia`
}
