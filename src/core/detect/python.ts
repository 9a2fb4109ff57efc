/**
 * Python: which dependency manifests to install and which Python to base the
 * image on.
 *
 * Manifests (strong signals): pyproject.toml with a [project] or
 * [build-system] table (the project is installed: `pip install .`),
 * requirements.txt (`pip install -r`), setup.py (`pip install .`).
 * Weak signals, used only when no language has a manifest: .python-version,
 * runtime.txt, a *.py file at the top level.
 *
 * Version, first that applies: .python-version, runtime.txt (exact pins),
 * then the ranges requires-python, [tool.poetry.dependencies] python,
 * setup.py python_requires (the default 3.12 if it is allowed, else the
 * allowed version nearest to it, the newer on a tie), else 3.12. Only versions from PYTHON_VERSIONS — tags the
 * official image is published under — ever reach the Dockerfile.
 */
import { describeValue } from '../redact.js'
import { describeUnreadable, type CodeFiles } from './files.js'
import type { Report } from './report.js'
import { PYTHON_LOCKS } from './python/index.js'
import { scanRequirements } from './python/requirements.js'
import { parseToml, readTomlSummary } from './toml.js'
import { parsePep440, parsePoetryConstraint, type VersionRange } from './versions.js'

/** Minor versions with official `python:3.X-slim-bookworm` images. */
export const PYTHON_VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'] as const
export const DEFAULT_PYTHON = '3.12'

export function pythonImage(version: string): string {
  return `python:${version}-slim-bookworm`
}

export { scanRequirements } from './python/requirements.js'

export interface PythonFinding {
  /** A dependency manifest was found (as opposed to only a hint such as *.py). */
  manifest: boolean
  /** Hints found when there is no manifest, e.g. ".python-version", "main.py". */
  hints: string[]
  /** requirements.txt to install; `stage` says whether it can be installed before the code is copied. */
  requirements?: { stage: 'before-code' | 'after-code'; empty: boolean }
  /** Install the project itself (`pip install .`), always after the code is copied. */
  project?: 'pyproject.toml' | 'setup.py'
  version: string
  /** Where the version came from: ".python-version", "runtime.txt", "requires-python", … or "default". */
  versionFrom: string
  /** The declared range, as written (for job.json, never for the Dockerfile). */
  constraint?: string
  /** pyproject.toml parsed, for the installers' planners (python/). */
  pyproject?: Record<string, unknown>
}

interface RangeSource {
  from: string
  text: string
  range: VersionRange
}

export async function detectPython(files: CodeFiles, report: Report): Promise<PythonFinding | undefined> {
  const ranges: RangeSource[] = []
  let project: PythonFinding['project']
  let requirements: PythonFinding['requirements']
  const hints: string[] = []
  let pyprojectDoc: Record<string, unknown> | undefined

  // pyproject.toml
  const pyproject = await files.read('pyproject.toml')
  if (pyproject.state === 'ok') {
    const toml = readTomlSummary(pyproject.text)
    pyprojectDoc = parseToml(pyproject.text)
    if (!toml) report.warnings.push('pyproject.toml could not be read as TOML; ignored')
    else if (toml.tables.has('project') || toml.tables.has('build-system')) {
      project = 'pyproject.toml'
      addRange(ranges, report, 'requires-python', toml.strings.get('project.requires-python'), parsePep440)
    } else report.notes.push('pyproject.toml has no [project] or [build-system] table, so there is no project to install')
    // Poetry's constraint, with or without a project table: a Poetry application (package-mode = false, or no
    // build system) still says which Python it runs on.
    if (toml)
      addRange(
        ranges,
        report,
        'tool.poetry.dependencies.python',
        toml.strings.get('tool.poetry.dependencies.python'),
        parsePoetryConstraint
      )
  } else if (pyproject.state !== 'missing') report.warnings.push(describeUnreadable('pyproject.toml', pyproject))

  // requirements.txt
  const req = await files.read('requirements.txt')
  if (req.state === 'ok') {
    const parsed = scanRequirements(req.text)
    requirements = { stage: parsed.local ? 'after-code' : 'before-code', empty: parsed.entries === 0 }
  } else if (req.state !== 'missing') report.warnings.push(describeUnreadable('requirements.txt', req))

  // setup.py: only its python_requires is read, by a plain pattern (the file is never run).
  const setup = await files.read('setup.py')
  if (setup.state === 'ok') {
    if (!project) project = 'setup.py'
    const m = /\bpython_requires\s*=\s*(["'])([^"'\n]{1,200})\1/.exec(setup.text)
    addRange(ranges, report, 'setup.py python_requires', m?.[2], parsePep440)
  } else if (setup.state !== 'missing') report.warnings.push(describeUnreadable('setup.py', setup))

  // Pipfile's [requires]: python_full_version (X.Y.Z) or python_version (X.Y), read as that release line.
  const pipfile = await files.read('Pipfile')
  if (pipfile.state === 'ok') {
    const requires = readTomlSummary(pipfile.text)
    if (!requires) report.warnings.push(`${files.path('Pipfile')} could not be read as TOML; its [requires] python_version is not read`)
    else {
      const full = requires.strings.get('requires.python_full_version')
      const line = requires.strings.get('requires.python_version')
      const text = full ?? line
      const from = `Pipfile ${full !== undefined ? 'python_full_version' : 'python_version'}`
      if (text !== undefined) {
        if (/^\d+\.\d+(?:\.\d+)?$/.test(text.trim()))
          addRange(ranges, report, from, `==${text.trim()}.*`.replace(/^(==\d+\.\d+\.\d+)\.\*$/, '$1'), parsePep440)
        else report.warnings.push(`${from} ${describeValue(text, 40)} is not a Python version (X.Y or X.Y.Z); ignored`)
      }
    }
  } else if (pipfile.state !== 'missing') report.warnings.push(describeUnreadable(files.path('Pipfile'), pipfile))

  // Exact pins.
  let pinned: { version: string; from: string } | undefined
  const pythonVersion = await files.read('.python-version', 4096)
  if (pythonVersion.state === 'ok') {
    hints.push('.python-version')
    const line = firstLine(pythonVersion.text)
    const m = /^(?:python-?)?(\d+)\.(\d+)(?:\.\d+)?$/.exec(line)
    const version = m ? `${m[1]}.${m[2]}` : undefined
    if (version && isKnown(version)) pinned = { version, from: '.python-version' }
    else
      report.warnings.push(
        `.python-version asks for ${describeValue(line, 60)}, which is not a Python version with an official image (${PYTHON_VERSIONS.join(', ')}); ignored`
      )
  } else if (pythonVersion.state !== 'missing') report.warnings.push(describeUnreadable('.python-version', pythonVersion, 4096))

  // runtime.txt: python-X.Y[.Z], or python-3 (the default Python 3); r-… is R's (r.ts).
  const runtimeAt = files.path('runtime.txt')
  const runtime = await files.read('runtime.txt', 4096)
  if (runtime.state === 'ok') {
    const line = firstLine(runtime.text)
    const m = /^python-(\d+)(?:\.(\d+)(?:\.\d+)?)?$/.exec(line)
    if (m) {
      hints.push(runtimeAt)
      const version = m[2] === undefined ? (m[1] === '3' ? DEFAULT_PYTHON : undefined) : `${m[1]}.${m[2]}`
      if (m[2] === undefined && version) report.notes.push(`${runtimeAt} asks for python-3, any Python 3: the default, ${DEFAULT_PYTHON}`)
      if (!version || !isKnown(version))
        report.warnings.push(
          `${runtimeAt} asks for ${describeValue(line, 60)}, which is not a Python version with an official image (${PYTHON_VERSIONS.join(', ')}); ignored`
        )
      else if (!pinned) pinned = { version, from: runtimeAt }
      else if (pinned.version !== version)
        report.notes.push(`${runtimeAt} asks for Python ${version}; ${pinned.from} (${pinned.version}) comes first`)
    } else if (!/^r-/.test(line))
      report.warnings.push(
        `${runtimeAt} ${describeValue(line, 60)} names neither a Python (python-X.Y) nor an R runtime (r-X.Y.Z-YYYY-MM-DD); ignored`
      )
  } else if (runtime.state !== 'missing') report.warnings.push(describeUnreadable(runtimeAt, runtime, 4096))

  for (const name of files.names) {
    if (/\.py$/.test(name) && name !== 'setup.py' && (await files.isRegularFile(name))) {
      hints.push(name)
      break
    }
  }

  let lockfile = false
  for (const name of [...PYTHON_LOCKS, ...files.names.filter((n) => /^requirements[A-Za-z0-9._-]{0,100}\.txt$/.test(n))]) {
    if (await files.isRegularFile(name)) lockfile = true
    else if (files.names.includes(name) && PYTHON_LOCKS.includes(name))
      report.warnings.push(`${name} is not a regular file (a symbolic link or a folder); ignored`)
  }
  const manifest = project !== undefined || requirements !== undefined || lockfile
  if (!manifest && hints.length === 0) return undefined
  const found = { manifest, hints, requirements, project, pyproject: pyprojectDoc }

  // Choose the version.
  const range = ranges[0]
  if (pinned) {
    if (range && !range.range.allows(pinned.version)) {
      report.warnings.push(
        `Python ${pinned.version} from ${pinned.from} is outside ${range.from} ${describeValue(range.text, 80)}; using ${pinned.version}`
      )
    }
    return { ...found, version: pinned.version, versionFrom: pinned.from, constraint: range?.text }
  }
  if (range) {
    for (const other of ranges.slice(1)) report.notes.push(`${other.from} is also declared; ${range.from} comes first`)
    const version = nearest(
      PYTHON_VERSIONS.filter((v) => range.range.allows(v)),
      PYTHON_VERSIONS,
      DEFAULT_PYTHON
    )
    if (version) return { ...found, version, versionFrom: range.from, constraint: range.text }
    report.warnings.push(
      `${range.from} ${describeValue(range.text, 80)} allows none of the Python versions with an official image (${PYTHON_VERSIONS.join(', ')}); using ${DEFAULT_PYTHON}`
    )
    return { ...found, version: DEFAULT_PYTHON, versionFrom: 'default', constraint: range.text }
  }
  return { ...found, version: DEFAULT_PYTHON, versionFrom: 'default' }
}

function addRange(
  ranges: RangeSource[],
  report: Report,
  from: string,
  text: string | undefined,
  parse: (t: string) => VersionRange | undefined
): void {
  if (text === undefined) return
  const range = parse(text.trim())
  if (range) ranges.push({ from, text, range })
  else report.warnings.push(`${from} ${describeValue(text, 80)} is not a version range this tool understands; ignored`)
}

/**
 * The allowed version closest to the default in our list (the newer one on a
 * tie): a range like ">=3.13" gets 3.13, the most widely used release it
 * allows, rather than whatever is newest today.
 */
export function nearest(allowed: readonly string[], all: readonly string[], preferred: string): string | undefined {
  const at = all.indexOf(preferred)
  return [...allowed].sort((a, b) => Math.abs(all.indexOf(a) - at) - Math.abs(all.indexOf(b) - at) || all.indexOf(b) - all.indexOf(a))[0]
}

function isKnown(version: string): boolean {
  return (PYTHON_VERSIONS as readonly string[]).includes(version)
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.replace(/#.*/, '').trim())
      .find((l) => l !== '') ?? ''
  )
}
