/**
 * Environment detection: what image the checked-out code needs, and why.
 *
 * Pure with respect to the rest of the packager: it reads a handful of
 * top-level files in code/ (lstat first, never through a symlink, each
 * under a size cap; see files.ts) and returns a plain description that the
 * Dockerfile renderer and the manifest both use. Nothing it returns for the
 * Dockerfile is free text from the repository: versions come from our own
 * lists, file names are our fixed names, apt packages are validated.
 *
 * The order, as documented in docs/CONTAINER.md:
 *   1. the repository's own Dockerfile, when the caller asks for it
 *      (use-repo-dockerfile) and code/Dockerfile is a regular file;
 *   2. Python, when pyproject.toml ([project]/[build-system]),
 *      requirements*.txt, setup.py, a lockfile (uv.lock, poetry.lock,
 *      Pipfile.lock) or a conda file is there; which installer runs is
 *      python/index.ts's order (the most frozen file wins);
 *   3. Node, when package.json is there;
 *   4. R, when renv.lock, DESCRIPTION or install.R is there;
 *   5. Julia, when Project.toml is there;
 *   6. Python, Node, R, then Julia from hints only (.python-version,
 *      runtime.txt, a top-level *.py; .nvmrc, .node-version, *.js; *.R; *.jl);
 *   7. otherwise a generic Debian base with a shell.
 *   apt.txt adds Debian packages to any of 2–7.
   With a binder/ or .binder/ folder, 2–7 read the environment files from
   the folder and ignore (and name) the root's (binder.ts); postBuild and
   start, from the folder or the root, run last in the build (as the job's
   user) and around the command (run.sh).
 *   A pip-installed Python job whose dependencies use CUDA (or any Python
 *   job, with gpu: cuda) builds on a CUDA runtime image instead (gpu.ts).
 * Besides the steps, every detector says which file it installed from and
 * what still floats (install.ts); frozen.ts turns that into the verdict.
 * A base-image option wins over the detected base image, the CUDA one
 * included (the packager applies it); `ARG BASE_IMAGE` keeps it
 * overridable at build time.
 */
import { defaultNamer, type OptionNamer } from '../options/names.js'
import { describeValue } from '../redact.js'
import { aptInstallPlan, detectApt } from './apt.js'
import { CONFIG_FOLDERS, configurationView, detectScripts } from './binder.js'
import { openCodeFiles } from './files.js'
import {
  cpuTorchNote,
  cudaNote,
  CUDA_PYTHON_ENV,
  DEFAULT_GPU,
  detectCuda,
  planCudaBase,
  selectGpu,
  type GpuChoice,
  type GpuRequest
} from './gpu.js'
import type { EcosystemInstall, Float, InstallStep } from './install.js'
import { detectJulia, juliaImage } from './julia.js'
import { detectNode, nodeImage, nodeInstallPlan, type NodeFinding } from './node.js'
import { detectPython, pythonImage } from './python.js'
import { planPython } from './python/index.js'
import { detectR, rImage } from './r.js'
import { newReport } from './report.js'

export { DEFAULT_NODE, NODE_VERSIONS } from './node.js'
export {
  CUDA_IMAGES,
  CUDA_VERSION,
  DEFAULT_GPU,
  GPU_MODES,
  GPU_RUN,
  runsOnGpu,
  type GpuChoice,
  type GpuMode,
  type GpuRequest
} from './gpu.js'
export { DEFAULT_PYTHON, PYTHON_VERSIONS } from './python.js'
export type { EcosystemInstall, Float, InstallStep, Pinning } from './install.js'
export { describeFrozen, frozenReport, type FrozenReport, type Verdict } from './frozen.js'

export const GENERIC_BASE_IMAGE = 'debian:bookworm-slim'

export type Runtime = 'python' | 'conda' | 'node' | 'r' | 'julia' | 'generic'

export interface Environment {
  /** 'generated': job-packager writes Dockerfile and .dockerignore; 'repository': code/Dockerfile is used as-is, build context code/. */
  dockerfile: 'generated' | 'repository'
  runtime: Runtime
  /** "3.12", "22", "4.4.1", "1.10.4"; absent for the generic and conda bases and the repository's Dockerfile. */
  version?: string
  /** Where the version came from: ".python-version", "requires-python", "engines.node", "renv.lock", … or "default". */
  versionFrom?: string
  /** The declared range as written in the repository (job.json only). */
  constraint?: string
  /** The base image detection chose; absent when the repository's Dockerfile is used. */
  baseImage?: string
  /** How Node's dependencies are installed, when Node is the runtime and something is installed. */
  node?: NodeFinding['install']
  /** Validated Debian package names from apt.txt. */
  aptPackages: string[]
  /** The Dockerfile's install steps, in order (system, before the code, after it). */
  install: InstallStep[]
  /** Per ecosystem, the file its dependencies were installed from. */
  installs: EcosystemInstall[]
  /** What is chosen at build time rather than by the package. */
  floats: Float[]
  /** Extra ENV entries the installers need (a virtual environment on PATH, …): our own values only. */
  env: string[]
  /**
   * ENV entries of the base's own Python (the CUDA base's virtual environment
   * on PATH), set in an ENV instruction before `env`, so that a PATH entry of
   * an installer there is put in front of it rather than replacing it.
   */
  baseEnv?: string[]
  /** The gpu option, what was found, and whether the base is a CUDA runtime image (absent for the repository's own Dockerfile). */
  gpu?: GpuChoice
  /** The base image's USER is not root (micromamba): the installs switch to root first. */
  asRoot?: boolean
  /**
   * What was detected and why, as short phrases in a fixed vocabulary (only
   * our own file names, versions from our lists and counts), so they are safe
   * to print anywhere, the Dockerfile's comments included.
   */
  reasons: string[]
  /** Choices explained and files seen but not used (may quote repository text, JSON-escaped). */
  notes: string[]
  /** Things the user probably wants to fix. */
  warnings: string[]
  /** The configuration folder the environment files were read from ("binder", ".binder"), when there is one. */
  configFolder?: string
  /** The start script (path in code/) run.sh runs the command through: `start /bin/sh run.sh`. */
  start?: string
}

export interface DetectOptions {
  /** Use code/Dockerfile as-is (build context code/) when the repository has one. */
  useRepoDockerfile?: boolean
  /** auto (default), cuda, off, or a CUDA image: whether a Python job gets a CUDA runtime base (gpu.ts). */
  gpu?: GpuRequest
  /** The base-image option is set: it wins over the GPU choice (the packager applies it). */
  baseImageGiven?: boolean
  /** How messages name options (the caller's shell); default: the option's key. */
  names?: OptionNamer
  /** A dated R package snapshot server, `{date}` for runtime.txt's date (r-snapshot-url); none by default. */
  rSnapshotUrl?: string
}

export async function detectEnvironment(codeDir: string, options: DetectOptions = {}): Promise<Environment> {
  const root = await openCodeFiles(codeDir)
  const report = newReport()
  const gpu = options.gpu ?? DEFAULT_GPU
  const names = options.names ?? defaultNamer
  const nothing = { aptPackages: [], install: [], installs: [], floats: [], env: [] }

  // 1. The repository's own Dockerfile.
  const ownDockerfile = root.names.includes('Dockerfile')
  const ownIsFile = ownDockerfile && (await root.isRegularFile('Dockerfile'))
  if (options.useRepoDockerfile) {
    if (ownIsFile) {
      const folders = CONFIG_FOLDERS.filter((f) => root.names.includes(f))
      return {
        dockerfile: 'repository',
        runtime: 'generic',
        ...nothing,
        reasons: ["the repository's own Dockerfile (use-repo-dockerfile), build context code/"],
        notes: [
          "nothing else is detected or installed: the repository's Dockerfile decides the environment, so job-packager cannot tell what in it floats",
          ...folders.map(
            (f) =>
              `${f}/ is not read: use-repo-dockerfile builds code/Dockerfile as asked, although the specification would read the configuration folder instead`
          )
        ],
        warnings: []
      }
    }
    report.warnings.push(
      ownDockerfile
        ? 'use-repo-dockerfile is set, but code/Dockerfile is not a regular file (a symbolic link or a folder); a Dockerfile was generated instead'
        : 'use-repo-dockerfile is set, but the repository has no Dockerfile at its root; a Dockerfile was generated instead'
    )
  } else if (ownIsFile) {
    report.notes.push('the repository has its own Dockerfile (code/Dockerfile); it is not used unless use-repo-dockerfile is set')
  }

  // A configuration folder (binder/, .binder/) holds the environment files; the root's are then ignored, and named.
  const view = await configurationView(codeDir, root, report)
  const files = view.files
  const scripts = await detectScripts(files, codeDir, report)

  // 2–6. Languages. Every detector runs, so that what it saw is reported even when another language wins.
  const python = await detectPython(files, report)
  const node = await detectNode(files, report)
  const r = await detectR(files, report, options.rSnapshotUrl)
  const julia = await detectJulia(files, report)
  const apt = await detectApt(files, report)

  // The files each language's manifest came from, so the one that loses names them.
  const manifestFiles = async (names: string[]): Promise<string[]> => {
    const present: string[] = []
    for (const name of names) if (await files.isRegularFile(name)) present.push(files.path(name))
    return present
  }
  const found = [
    { runtime: 'python' as const, finding: python, label: 'Python', files: [] as string[] },
    { runtime: 'node' as const, finding: node, label: 'Node', files: await manifestFiles(['package.json']) },
    { runtime: 'r' as const, finding: r, label: 'R', files: await manifestFiles(['renv.lock', 'DESCRIPTION', 'install.R']) },
    { runtime: 'julia' as const, finding: julia, label: 'Julia', files: await manifestFiles(['Project.toml', 'Manifest.toml']) }
  ]
  const winner = found.find((f) => f.finding?.manifest) ?? found.find((f) => f.finding)
  for (const other of found)
    if (other !== winner && other.finding?.manifest)
      report.notes.push(
        `${other.label} manifests${other.files.length > 0 ? ` (${other.files.join(', ')})` : ''} are also present; ${winner!.label} comes first in the detection order, so ${other.label} and its dependencies are not installed`
      )
  if (winner)
    for (const other of found)
      if (other !== winner && other.finding && !other.finding.manifest && other.finding.hints.length > 0)
        report.notes.push(
          `${other.label} hints (${other.finding.hints.map((h) => describeValue(h, 60)).join(', ')}) are also present; ${winner.label} comes first`
        )

  const reasons: string[] = []
  const env: Environment = {
    dockerfile: 'generated',
    runtime: winner?.runtime ?? 'generic',
    ...nothing,
    aptPackages: apt ?? [],
    reasons,
    notes: report.notes,
    warnings: report.warnings
  }
  const aptPlan = await aptInstallPlan(apt ?? [], files)
  const add = (plan: { steps: InstallStep[]; installs: EcosystemInstall[]; floats: Float[] }): void => {
    env.install.push(...plan.steps)
    env.installs.push(...plan.installs)
    env.floats.push(...plan.floats)
  }
  add(aptPlan)
  const setVersion = (f: { version: string; versionFrom: string; constraint?: string }, name: string): void => {
    Object.assign(env, { version: f.version, versionFrom: f.versionFrom })
    if (f.constraint !== undefined) env.constraint = f.constraint
    reasons.push(versionPhrase(name, f.version, f.versionFrom))
  }

  if (env.runtime === 'python' && python) {
    const plan = await planPython({ files, report, pyproject: python.pyproject, project: python.project })
    const cuda = await detectCuda(files)
    if (cuda.cpuOnlyTorch.length > 0) report.notes.push(cpuTorchNote(cuda.cpuOnlyTorch))
    const selection = selectGpu({
      requested: gpu,
      detected: cuda.packages,
      runtime: plan.runtime ?? 'python',
      baseImageGiven: options.baseImageGiven === true,
      names
    })
    env.gpu = { requested: gpu, detected: cuda.packages, selected: false, reason: selection.reason }
    const cudaBase = selection.selected ? planCudaBase(gpu, python, names) : undefined
    // The base's Python comes first, before apt.txt's packages too: the installers' steps need it.
    if (cudaBase) {
      env.install.unshift(cudaBase.step)
      env.floats.unshift(...cudaBase.floats)
    }
    add(plan)
    env.env.push(...plan.env)
    if (plan.runtime === 'conda') {
      env.runtime = 'conda'
      env.baseImage = plan.baseImage
      env.asRoot = plan.asRoot
      reasons.push(`conda via micromamba (${plan.baseImage})`)
      if (python.versionFrom !== 'default')
        report.notes.push(
          `${python.versionFrom} asks for Python ${python.version}; the conda environment decides which Python is installed`
        )
    } else if (cudaBase) {
      env.baseImage = cudaBase.image
      env.baseEnv = CUDA_PYTHON_ENV
      env.gpu = {
        requested: gpu,
        detected: cuda.packages,
        selected: true,
        base: cudaBase.image,
        ...(cudaBase.python ? { python: cudaBase.python } : {}),
        reason: selection.reason
      }
      const ubuntu = cudaBase.ubuntu ? `Ubuntu ${cudaBase.ubuntu}'s python3` : "the image's python3"
      if (cudaBase.python === python.version) setVersion(python, 'python')
      else if (cudaBase.python !== undefined) {
        setVersion({ version: cudaBase.python, versionFrom: 'the CUDA base', constraint: python.constraint }, 'python')
      } else {
        if (python.constraint !== undefined) env.constraint = python.constraint
        reasons.push("python: the CUDA base's python3 (its version is not known when packaging)")
      }
      reasons.push(`CUDA runtime base ${cudaBase.image} (${selection.reason}), ${ubuntu} in a virtual environment`)
      report.notes.push(...cudaBase.notes)
      report.warnings.push(...cudaBase.warnings)
    } else {
      env.baseImage = pythonImage(python.version)
      setVersion(python, 'python')
    }
    reasons.push(...plan.reasons)
    if (!python.manifest) reasons.push('no dependency manifest')
    if (selection.message) (selection.message.level === 'warning' ? report.warnings : report.notes).push(selection.message.text)
    if (cuda.packages.length > 0) report.notes.push(cudaNote(cuda.packages, selection, env.gpu.base))
  } else if (env.runtime === 'node' && node) {
    env.baseImage = nodeImage(node.version)
    setVersion(node, 'node')
    const install = node.install
    env.node = install
    if (install) {
      add(await nodeInstallPlan(install, files))
      const what = install.lockfile
        ? `${install.lockfile}: ${installName(install.manager, true)}`
        : `package.json without a lockfile: ${installName(install.manager, false)}`
      reasons.push(install.stage === 'after-code' ? `${what} (after the code: ${install.afterCodeBecause})` : what)
    } else if (node.manifest) reasons.push('package.json declares no dependencies')
    else reasons.push('no package.json')
  } else if (env.runtime === 'r' && r) {
    env.baseImage = rImage(r.version)
    setVersion(r, 'R')
    add(r)
    reasons.push(...(r.manifest ? r.reasons : ['no renv.lock, DESCRIPTION or install.R']))
  } else if (env.runtime === 'julia' && julia) {
    env.baseImage = juliaImage(julia.version)
    setVersion(julia, 'julia')
    add(julia)
    env.env.push(...julia.env)
    reasons.push(...(julia.manifest ? julia.reasons : ['no Project.toml']))
  } else {
    env.baseImage = GENERIC_BASE_IMAGE
    reasons.push('no Python, Node, R or Julia project found: generic Debian base')
  }
  if (env.gpu === undefined) {
    // Only a Python job gets a CUDA base; asked for one elsewhere, the user hears why not.
    const selection = selectGpu({
      requested: gpu,
      detected: [],
      runtime: env.runtime,
      baseImageGiven: options.baseImageGiven === true,
      names
    })
    env.gpu = { requested: gpu, detected: [], selected: false, reason: selection.reason }
    if (selection.message) (selection.message.level === 'warning' ? report.warnings : report.notes).push(selection.message.text)
  }
  if (apt !== undefined) reasons.push(`${files.path('apt.txt')}: ${apt.length} package${apt.length === 1 ? '' : 's'}`)
  if (view.folder) {
    env.configFolder = view.folder
    reasons.unshift(`environment files from ${view.folder}/`)
  }
  env.install.push(...scripts.steps)
  reasons.push(...scripts.reasons)
  if (scripts.start) env.start = scripts.start
  return env
}

function versionPhrase(runtime: string, version: string, from: string): string {
  return from === 'default' ? `${runtime} ${version} (default version)` : `${runtime} ${version} from ${from}`
}

function installName(manager: string, locked: boolean): string {
  switch (manager) {
    case 'pnpm':
      return 'pnpm install --frozen-lockfile'
    case 'yarn':
      return 'yarn install --frozen-lockfile'
    case 'yarn-berry':
      return 'yarn install --immutable'
    case 'bun':
      return 'bun install --frozen-lockfile'
    default:
      return locked ? 'npm ci' : 'npm install'
  }
}

/** One line for logs and job.json: "python 3.12 from requires-python; requirements.txt". */
export function summarizeEnvironment(env: Environment): string {
  return env.reasons.join('; ')
}
