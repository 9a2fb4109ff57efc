/**
 * pyproject.toml without a lock: its declared dependencies
 * ([project].dependencies) are installed first, before the code is copied, so
 * a change to the code alone reuses that layer; the project itself is
 * installed after the code. pip cannot install "the dependencies of this
 * pyproject.toml" without building the project, so each declared requirement
 * is written into the RUN line itself — single-quoted, and only when it
 * matches a strict PEP 508 pattern (a name, extras, version clauses, an
 * environment marker) with no quote, backslash, `$` or `#` that a shell or
 * the Dockerfile could read as anything else. One that does not match (a
 * direct URL, say) is left to the project install, with a note. Every
 * requirement without an exact pin floats, and so do the dependencies
 * they pull in: versions are chosen at build time, and detection warns.
 * The same applies to setup.py (whose install_requires is never read: the
 * file is never run) and to Poetry's [tool.poetry.dependencies] without a
 * poetry.lock.
 */
import { describeValue } from '../../redact.js'
import { hasControl } from '../../render/text.js'
import type { Float, Pinning } from '../install.js'
import { PIP_INSTALL, projectStep, table, type PythonContext, type PythonPlan } from './plan.js'

/** A PEP 508 requirement we are willing to put, single-quoted, on a RUN line. */
// PEP 508's whitespace is spaces and tabs, never a line break; only spaces here (a tab is a control character the
// Dockerfile renderer refuses). `\s` here once matched "\n" and let a dependency add a FROM stage (issue 19).
const SAFE_REQUIREMENT =
  /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?: *\[[A-Za-z0-9._, -]*\])?(?: *(?:===|==|!=|~=|<=|>=|<|>) *[A-Za-z0-9.*+!_-]+(?: *, *(?:===|==|!=|~=|<=|>=|<|>) *[A-Za-z0-9.*+!_-]+)*)?(?: *; *[A-Za-z0-9._ <>=!~"()-]+)?$/
const EXACT = /^[A-Za-z0-9._-]+(?:\s*\[[^\]]*\])?\s*===?\s*[A-Za-z0-9.+!_-]+\s*(?:;.*)?$/
export const MAX_DECLARED = 200

export function requirementName(req: string): string {
  return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/.exec(req.trim())?.[0] ?? req
}

export async function planPyproject(ctx: PythonContext): Promise<PythonPlan> {
  const project = table(ctx.pyproject, 'project')
  const poetryDeps = table(ctx.pyproject, 'tool', 'poetry', 'dependencies')
  const dynamic = Array.isArray(project?.dynamic) && project.dynamic.includes('dependencies')
  const declared = Array.isArray(project?.dependencies) ? project.dependencies.filter((d): d is string => typeof d === 'string') : []
  const safe: string[] = []
  const floats: Float[] = []
  for (const req of declared) {
    const text = req.trim()
    if (safe.length < MAX_DECLARED && SAFE_REQUIREMENT.test(text)) safe.push(text)
    else if (hasControl(text))
      // Not a requirement pip could read either: said as a warning, so the change to the build is never silent.
      ctx.report.warnings.push(
        `pyproject.toml: the dependency ${describeValue(text, 120)} holds a line break or control character; it is left out of the generated Dockerfile (the project install after the code reads pyproject.toml itself)`
      )
    else
      ctx.report.notes.push(
        `the dependency ${describeValue(text, 80)} is not installed ahead of the code (only plain name/version/marker requirements are); the project install after the code installs it`
      )
    if (!EXACT.test(text))
      floats.push({
        kind: 'requirement',
        ecosystem: 'python',
        name: requirementName(text),
        from: 'pyproject.toml',
        why: 'no exact == pin: pip chooses the version at build time'
      })
  }
  if (!project && poetryDeps)
    for (const name of Object.keys(poetryDeps).filter((n) => n !== 'python'))
      floats.push({
        kind: 'requirement',
        ecosystem: 'python',
        name,
        from: 'pyproject.toml',
        why: 'Poetry dependency without a poetry.lock: pip chooses the version at build time'
      })
  const hasDeps =
    declared.length > 0 ||
    dynamic ||
    (poetryDeps !== undefined && Object.keys(poetryDeps).some((n) => n !== 'python')) ||
    ctx.project === 'setup.py'
  if (hasDeps)
    floats.push({
      kind: 'unlisted-dependencies',
      ecosystem: 'python',
      name: ctx.project ?? 'pyproject.toml',
      from: ctx.project ?? 'pyproject.toml',
      why:
        ctx.project === 'setup.py'
          ? "setup.py's dependencies are not read (the file is never run): every version is chosen at build time"
          : dynamic
            ? 'the dependencies are dynamic (computed by the build backend): every version is chosen at build time'
            : 'the dependencies of the declared dependencies are chosen at build time'
    })
  const exact = declared.filter((d) => EXACT.test(d.trim())).length
  const pinning: Pinning = !hasDeps ? 'locked' : exact > 0 ? 'partial' : 'none'
  if (hasDeps)
    ctx.report.warnings.push(
      `${ctx.project ?? 'pyproject.toml'} declares dependencies without a lockfile: their versions are chosen when the image is built, so two builds may differ (commit a uv.lock, poetry.lock or a requirements.txt with --hash lines)`
    )
  const steps: PythonPlan['steps'] = []
  if (safe.length > 0)
    steps.push({ from: 'pyproject.toml', stage: 'before-code', copy: [], run: `${PIP_INSTALL} ${safe.map((r) => `'${r}'`).join(' ')}` })
  steps.push(...projectStep(ctx, false))
  const file = ctx.project ?? 'pyproject.toml'
  return {
    steps,
    installs: hasDeps
      ? [{ ecosystem: 'python', file, sha256: await ctx.files.sha256(file), installer: 'pip install (no lock)', pinning }]
      : [],
    floats,
    env: [],
    reasons: [
      ...(safe.length > 0
        ? [`pyproject.toml: ${safe.length} declared dependenc${safe.length === 1 ? 'y' : 'ies'} installed before the code`]
        : []),
      ...(ctx.project ? [`${ctx.project}: the project is installed`] : [])
    ]
  }
}
