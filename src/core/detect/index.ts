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
 *      requirements.txt or setup.py is there;
 *   3. Node, when package.json is there;
 *   4. Python, then Node, from hints only (.python-version, runtime.txt, a
 *      top-level *.py; .nvmrc, .node-version, a top-level *.js);
 *   5. otherwise a generic Debian base with a shell.
 *   apt.txt adds Debian packages to any of 2–5.
 * A base-image option wins over the detected base image (the packager
 * applies it); `ARG BASE_IMAGE` keeps it overridable at build time.
 */
import { describeValue } from '../redact.js'
import { detectApt } from './apt.js'
import { openCodeFiles } from './files.js'
import { detectNode, nodeImage, type NodeFinding } from './node.js'
import { detectPython, pythonImage, type PythonFinding } from './python.js'
import { newReport } from './report.js'

export { DEFAULT_NODE, NODE_VERSIONS } from './node.js'
export { DEFAULT_PYTHON, PYTHON_VERSIONS } from './python.js'

export const GENERIC_BASE_IMAGE = 'debian:bookworm-slim'

export type Runtime = 'python' | 'node' | 'generic'

export interface Environment {
  /** 'generated': job-packager writes Dockerfile and .dockerignore; 'repository': code/Dockerfile is used as-is, build context code/. */
  dockerfile: 'generated' | 'repository'
  runtime: Runtime
  /** "3.12" or "22"; absent for the generic base and the repository's Dockerfile. */
  version?: string
  /** Where the version came from: ".python-version", "requires-python", "engines.node", … or "default". */
  versionFrom?: string
  /** The declared range as written in the repository (job.json only). */
  constraint?: string
  /** The base image detection chose; absent when the repository's Dockerfile is used. */
  baseImage?: string
  python?: Pick<PythonFinding, 'requirements' | 'project'>
  node?: NodeFinding['install']
  /** Validated Debian package names from apt.txt. */
  aptPackages: string[]
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
}

export interface DetectOptions {
  /** Use code/Dockerfile as-is (build context code/) when the repository has one. */
  useRepoDockerfile?: boolean
}

export async function detectEnvironment(codeDir: string, options: DetectOptions = {}): Promise<Environment> {
  const files = await openCodeFiles(codeDir)
  const report = newReport()

  // 1. The repository's own Dockerfile.
  const ownDockerfile = files.names.includes('Dockerfile')
  const ownIsFile = ownDockerfile && (await files.isRegularFile('Dockerfile'))
  if (options.useRepoDockerfile) {
    if (ownIsFile) {
      return {
        dockerfile: 'repository',
        runtime: 'generic',
        aptPackages: [],
        reasons: ["the repository's own Dockerfile (use-repo-dockerfile), build context code/"],
        notes: ["nothing else is detected or installed: the repository's Dockerfile decides the environment"],
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

  // 2–4. Languages. Every detector runs, so that what it saw is reported even when another language wins.
  const python = await detectPython(files, report)
  const node = await detectNode(files, report)
  const apt = await detectApt(files, report)

  let runtime: Runtime = 'generic'
  if (python?.manifest) runtime = 'python'
  else if (node?.manifest) runtime = 'node'
  else if (python) runtime = 'python'
  else if (node) runtime = 'node'
  if (runtime === 'python' && node?.manifest)
    report.notes.push(
      'package.json is also present; Python comes first in the detection order, so Node and its dependencies are not installed'
    )
  if (runtime === 'node' && python)
    report.notes.push(
      `Python hints (${python.hints.map((h) => describeValue(h, 60)).join(', ')}) are also present; package.json comes first`
    )

  const reasons: string[] = []
  const env: Environment = {
    dockerfile: 'generated',
    runtime,
    aptPackages: apt ?? [],
    reasons,
    notes: report.notes,
    warnings: report.warnings
  }
  if (runtime === 'python' && python) {
    Object.assign(env, {
      version: python.version,
      versionFrom: python.versionFrom,
      constraint: python.constraint,
      baseImage: pythonImage(python.version)
    })
    env.python = { requirements: python.requirements, project: python.project }
    reasons.push(versionPhrase('python', python.version, python.versionFrom))
    if (python.requirements) {
      if (python.requirements.empty) reasons.push('requirements.txt lists no packages')
      else
        reasons.push(
          python.requirements.stage === 'before-code'
            ? 'requirements.txt'
            : 'requirements.txt (installed after the code: it refers to local files)'
        )
    }
    if (python.project) reasons.push(`${python.project}: the project is installed`)
    if (!python.manifest) reasons.push('no dependency manifest')
  } else if (runtime === 'node' && node) {
    Object.assign(env, {
      version: node.version,
      versionFrom: node.versionFrom,
      constraint: node.constraint,
      baseImage: nodeImage(node.version)
    })
    env.node = node.install
    reasons.push(versionPhrase('node', node.version, node.versionFrom))
    const install = node.install
    if (install) {
      const what = install.lockfile
        ? `${install.lockfile}: ${installName(install.manager, true)}`
        : `package.json without a lockfile: ${installName(install.manager, false)}`
      reasons.push(install.stage === 'after-code' ? `${what} (after the code: ${install.afterCodeBecause})` : what)
    } else if (node.manifest) reasons.push('package.json declares no dependencies')
    else reasons.push('no package.json')
  } else {
    env.baseImage = GENERIC_BASE_IMAGE
    reasons.push('no Python or Node project found: generic Debian base')
  }
  if (apt !== undefined) reasons.push(`apt.txt: ${apt.length} package${apt.length === 1 ? '' : 's'}`)
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
    default:
      return locked ? 'npm ci' : 'npm install'
  }
}

/** One line for logs and job.json: "python 3.12 from requires-python; requirements.txt". */
export function summarizeEnvironment(env: Environment): string {
  return env.reasons.join('; ')
}
