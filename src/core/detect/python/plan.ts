/**
 * What every Python installer's planner shares: the context it reads (the
 * code's top-level files and pyproject.toml, parsed once) and the plan it
 * returns (steps, the file used, what floats, extra ENV, and for conda a base
 * image of its own).
 */
import type { CodeFiles } from '../files.js'
import type { InstallPlan, InstallStep } from '../install.js'
import type { Report } from '../report.js'

export const PIP_INSTALL = 'python3 -m pip install --no-cache-dir'

export interface PythonContext {
  files: CodeFiles
  report: Report
  /** pyproject.toml parsed as TOML, when it is there and parses. */
  pyproject?: Record<string, unknown>
  /** The project itself, when it is installable (pyproject.toml with [build-system]/[project], or setup.py). */
  project?: 'pyproject.toml' | 'setup.py'
}

export interface PythonPlan extends InstallPlan {
  /** Short phrases for the summary line, in our fixed vocabulary. */
  reasons: string[]
  /** Extra `ENV` entries (NAME=value, our own values only). */
  env: string[]
  /** A base image of the installer's own (conda: micromamba), replacing python:3.X-slim. */
  baseImage?: string
  /** The base image's USER is not root: switch to root for the installs (the job's USER comes last anyway). */
  asRoot?: boolean
  /** 'conda' when the environment comes from conda rather than pip. */
  runtime?: 'conda'
}

/** A table of a parsed TOML document, or undefined. */
export function table(doc: Record<string, unknown> | undefined, ...keys: string[]): Record<string, unknown> | undefined {
  let at: unknown = doc
  for (const key of keys) {
    if (!at || typeof at !== 'object' || Array.isArray(at)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at && typeof at === 'object' && !Array.isArray(at) && !(at instanceof Date) ? (at as Record<string, unknown>) : undefined
}

/**
 * Installs the project itself once the code is there. After a lock, `--no-deps`:
 * its dependencies came from the lock, and pip must not resolve more.
 */
/**
 * Shell that sets $TOOL to the base image's `tool` when it has one (and says
 * which version, in the build log), else installs `pipSpec` into a throwaway
 * virtual environment under /tmp — never where an image keeps its own tool —
 * and points $TOOL there. The caller removes /tmp/{tool}-venv afterwards.
 */
export function imageToolOrPinned(tool: string, lock: string, shown: string, pipSpec: string): string {
  const venv = `/tmp/${tool}-venv`
  return (
    `if command -v ${tool} >/dev/null; then ${tool}=${tool} && echo "${lock}: the base image's $(${tool} --version)"; ` +
    `else echo "${lock}: no ${tool} in the base image; installing ${shown} for the build" && python3 -m venv ${venv} && ${venv}/bin/pip install --no-cache-dir ${pipSpec} && ${tool}=${venv}/bin/${tool}; fi`
  )
}

export function projectStep(ctx: PythonContext, noDeps: boolean): InstallStep[] {
  if (!ctx.project) return []
  return [{ from: ctx.project, stage: 'after-code', copy: [], run: `${PIP_INSTALL}${noDeps ? ' --no-deps' : ''} .` }]
}

/** The build backend (build-system.requires) is never locked by any of these files: said in a note. */
export function buildBackendNote(ctx: PythonContext, lock: string): void {
  if (ctx.project !== 'pyproject.toml') return
  const requires = table(ctx.pyproject, 'build-system')?.requires
  if (Array.isArray(requires) && requires.length > 0)
    ctx.report.notes.push(
      `the project itself is built by its build backend (build-system.requires: ${requires.length} requirement${requires.length === 1 ? '' : 's'}), which ${lock} does not lock`
    )
}
