/**
 * Which Python installer runs, when several files could say what to install.
 * The most frozen file wins; the others are named in a note. In order:
 *
 *   1. uv.lock (with pyproject.toml)              uv sync --frozen
 *   2. poetry.lock (with pyproject.toml)          poetry export (hashes) → pip --require-hashes,
 *                                                 or poetry install (the image's Poetry without export)
 *   3. Pipfile.lock (with Pipfile)                pipenv install --deploy --system
 *   (2 and 3 use the base image's poetry / pipenv when it has one: see poetry.ts)
 *   4. requirements*.txt with --hash on every line  pip install --require-hashes
 *      (requirements.txt first, then the others by name)
 *   5. conda-linux-64.lock (@EXPLICIT), conda-lock.yml, environment.yml(.yaml)
 *                                                 micromamba, on its own base image
 *   6. requirements.txt                           pip install -r (versions float)
 *   7. pyproject.toml / setup.py                  declared dependencies, then the project (versions float)
 *
 * After 1–4 the project itself (when there is one) is installed after the
 * code with `--no-deps`, so nothing but the lock decides a dependency.
 */
import { describeUnreadable } from '../files.js'
import type { Float } from '../install.js'
import { findCondaFile, planConda } from './conda.js'
import { PIP_INSTALL, projectStep, type PythonContext, type PythonPlan } from './plan.js'
import { planPipenv, planPipfileUnlocked } from './pipenv.js'
import { planPoetry } from './poetry.js'
import { planPyproject } from './pyproject.js'
import { requirementFloats, scanRequirements } from './requirements.js'
import { planUv } from './uv.js'

export { MICROMAMBA_IMAGE, MICROMAMBA_VERSION } from './conda.js'
export { PIPENV_VERSION } from './pipenv.js'
export { POETRY_VERSION } from './poetry.js'
export { UV_VERSION } from './uv.js'
export type { PythonContext, PythonPlan } from './plan.js'

const REQUIREMENTS_FILE = /^requirements[A-Za-z0-9._-]{0,100}\.txt$/
/** Files whose presence means "there are Python dependencies to install". */
export const PYTHON_LOCKS = [
  'uv.lock',
  'poetry.lock',
  'Pipfile.lock',
  'Pipfile',
  'conda-linux-64.lock',
  'conda-lock.yml',
  'environment.yml',
  'environment.yaml'
]

export async function planPython(ctx: PythonContext): Promise<PythonPlan> {
  const { files, report } = ctx
  const has = (name: string) => files.isRegularFile(name)
  const used: string[] = []
  const plan = await choose()
  // Everything else that could have said what to install is named, so nothing is ignored silently.
  const seen = [...PYTHON_LOCKS, ...files.names.filter((n) => REQUIREMENTS_FILE.test(n))]
  const winner = plan.installs[0]?.file ?? plan.steps[0]?.from
  for (const name of seen)
    if (
      files.path(name) !== winner &&
      !used.includes(name) &&
      (await has(name)) &&
      !(name === 'Pipfile' && winner === files.path('Pipfile.lock'))
    )
      report.notes.push(`${files.path(name)} is also present; ${winner ?? 'nothing'} is used (see docs/CONTAINER.md for which file wins)`)
  return plan

  async function choose(): Promise<PythonPlan> {
    const pyproject = await has('pyproject.toml')
    if (await has('uv.lock')) {
      if (pyproject) return planUv(ctx)
      report.warnings.push('uv.lock is present without a pyproject.toml, which uv needs to read it; ignored')
    }
    if (await has('poetry.lock')) {
      if (pyproject) return planPoetry(ctx)
      report.warnings.push('poetry.lock is present without a pyproject.toml, which Poetry needs to read it; ignored')
    }
    if (await has('Pipfile.lock')) {
      if (await has('Pipfile')) return planPipenv(ctx)
      report.warnings.push('Pipfile.lock is present without its Pipfile, which pipenv needs; ignored')
    }
    const reqNames = files.names
      .filter((n) => REQUIREMENTS_FILE.test(n))
      .sort((a, b) => (a === 'requirements.txt' ? -1 : b === 'requirements.txt' ? 1 : a.localeCompare(b)))
    const scans = new Map<string, ReturnType<typeof scanRequirements>>()
    for (const name of reqNames) {
      const status = await files.read(name)
      if (status.state === 'ok') scans.set(name, scanRequirements(status.text))
      // requirements.txt's own problems were reported by detectPython already.
      else if (status.state !== 'missing' && name !== 'requirements.txt') report.warnings.push(describeUnreadable(name, status))
    }
    const hashed = reqNames.find((n) => scans.get(n)?.hashed)
    if (hashed) {
      const scan = scans.get(hashed)!
      used.push(hashed)
      const at = files.path(hashed)
      const run = `${PIP_INSTALL} --require-hashes -r ${at}`
      return {
        steps: [
          scan.local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run },
          ...projectStep(ctx, true)
        ],
        installs: [
          {
            ecosystem: 'python',
            file: at,
            sha256: await files.sha256(hashed),
            installer: 'pip install --require-hashes',
            pinning: 'locked'
          }
        ],
        floats: [],
        env: [],
        reasons: [
          `${at}: pip --require-hashes${scan.local ? ' (installed after the code: it refers to local files)' : ''}`,
          ...(ctx.project ? [`${ctx.project}: the project is installed (--no-deps)`] : [])
        ]
      }
    }
    const conda = await findCondaFile(ctx)
    if (conda) return planConda(ctx, conda)
    const req = scans.get('requirements.txt')
    // A Pipfile without its lock floats entirely: after requirements.txt (which may pin), before a bare project.
    if (!req && (await has('Pipfile'))) return planPipfileUnlocked(ctx)
    if (req) {
      used.push('requirements.txt')
      const at = files.path('requirements.txt')
      const steps: PythonPlan['steps'] = []
      const floats: Float[] = req.entries > 0 ? requirementFloats(at, req) : []
      const reasons: string[] = []
      if (req.entries === 0) reasons.push(`${at} lists no packages`)
      else {
        const run = `${PIP_INSTALL} -r ${at}`
        steps.push(req.local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run })
        reasons.push(req.local ? `${at} (installed after the code: it refers to local files)` : at)
        if (req.unpinned.length > 0)
          report.warnings.push(
            `${at} has requirements without an exact == pin (${req.unpinned.length}): their versions are chosen when the image is built (pin them, or generate the file with hashes, e.g. pip-compile --generate-hashes)`
          )
        else
          report.notes.push(
            `${at} pins versions but has no --hash lines: the dependencies it does not list are chosen when the image is built (generate it with hashes, e.g. pip-compile --generate-hashes)`
          )
      }
      const project = projectStep(ctx, false)
      if (ctx.project) {
        reasons.push(`${ctx.project}: the project is installed`)
        if (ctx.project === 'setup.py' || !req.entries)
          floats.push({
            kind: 'unlisted-dependencies',
            ecosystem: 'python',
            name: ctx.project,
            from: ctx.project,
            why: 'the project install resolves its own dependencies at build time'
          })
      }
      return {
        steps: [...steps, ...project],
        installs:
          req.entries > 0
            ? [
                {
                  ecosystem: 'python',
                  file: at,
                  sha256: await files.sha256('requirements.txt'),
                  installer: 'pip install -r',
                  pinning: req.unpinned.length === 0 || req.unpinned.length < req.entries ? 'partial' : 'none'
                }
              ]
            : [],
        floats,
        env: [],
        reasons
      }
    }
    if (ctx.project) return planPyproject(ctx)
    return { steps: [], installs: [], floats: [], env: [], reasons: [] }
  }
}
