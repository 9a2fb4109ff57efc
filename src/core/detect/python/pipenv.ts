/**
 * Pipfile.lock: `pipenv install --deploy --system`, with the base image's
 * `pipenv` when it has one (the build log prints its version), else with
 * pipenv PIPENV_VERSION installed into a throwaway virtual environment and
 * removed in the same step. `--deploy` refuses a lock that no longer
 * matches the Pipfile; the locked versions are installed with their hashes
 * checked, into the image's Python (`--system`: the first python3 on PATH,
 * wherever pipenv itself lives). Only Pipfile and Pipfile.lock are copied
 * first. The project itself, if there is one, is installed after the code
 * with `--no-deps`.
 *
 * Any version of the image's pipenv, as for Poetry (see poetry.ts): the lock
 * names every package, version and hash, `--deploy` checks it against the
 * Pipfile, and the tool only carries it out; its version is then the base
 * image's, frozen when the base image is pinned by digest.
 */
import { parseToml } from '../toml.js'
import { imageToolOrPinned, projectStep, table, type PythonContext, type PythonPlan } from './plan.js'

export const PIPENV_VERSION = '2024.4.1'

/** [dev-packages] are not installed (pipenv's default for install); when the Pipfile lists some, a note says so. */
async function devPackagesNote(ctx: PythonContext): Promise<void> {
  const status = await ctx.files.read('Pipfile')
  const dev = status.state === 'ok' ? table(parseToml(status.text), 'dev-packages') : undefined
  if (dev && Object.keys(dev).length > 0)
    ctx.report.notes.push(
      `${ctx.files.path('Pipfile')}'s [dev-packages] (${Object.keys(dev).length}) are not installed: a job runs the [packages] (repo2docker would add --dev)`
    )
}

/**
 * A Pipfile without its lock: `pipenv install --skip-lock --system` installs
 * [packages] as the Pipfile declares them, resolved at build time (floating,
 * with a warning). Before the code from the Pipfile alone, unless it names a
 * local path (`path = "."`), which needs the code.
 */
export async function planPipfileUnlocked(ctx: PythonContext): Promise<PythonPlan> {
  const at = ctx.files.path('Pipfile')
  const status = await ctx.files.read('Pipfile')
  const local = status.state === 'ok' && /^\s*[A-Za-z0-9._-]+\s*=\s*\{[^}\n]*\bpath\s*=/m.test(status.text)
  const run = [
    imageToolOrPinned('pipenv', 'Pipfile', `pipenv ${PIPENV_VERSION}`, `pipenv==${PIPENV_VERSION}`),
    `PIPENV_PIPFILE=/job/code/${at} WORKON_HOME=/tmp/pipenv PIPENV_CACHE_DIR=/tmp/pipenv PIP_NO_CACHE_DIR=1 "$pipenv" install --skip-lock --system`,
    'rm -rf /tmp/pipenv-venv /tmp/pipenv'
  ].join(' && ')
  ctx.report.warnings.push(
    `${at} without a Pipfile.lock: installed with pipenv install --skip-lock, so versions are chosen when the image is built (run pipenv lock and commit Pipfile.lock)`
  )
  await devPackagesNote(ctx)
  return {
    steps: [
      local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run },
      ...projectStep(ctx, false)
    ],
    installs: [
      {
        ecosystem: 'python',
        file: at,
        sha256: await ctx.files.sha256('Pipfile'),
        installer: `the base image's pipenv, else pipenv ${PIPENV_VERSION}: pipenv install --skip-lock --system`,
        pinning: 'none'
      }
    ],
    floats: [
      {
        kind: 'unlisted-dependencies',
        ecosystem: 'python',
        name: at,
        from: at,
        why: 'no Pipfile.lock: pipenv resolves [packages] at build time'
      }
    ],
    env: [],
    reasons: [`${at} without a lock: pipenv install --skip-lock${local ? ' (after the code: it names a local path)' : ''}`]
  }
}

export async function planPipenv(ctx: PythonContext): Promise<PythonPlan> {
  await devPackagesNote(ctx)
  const run = [
    imageToolOrPinned('pipenv', 'Pipfile.lock', `pipenv ${PIPENV_VERSION}`, `pipenv==${PIPENV_VERSION}`),
    // pipenv makes its virtualenv home and cache under HOME even with --system: /tmp, as HOME is the job's.
    `PIPENV_PIPFILE=/job/code/${ctx.files.path('Pipfile')} WORKON_HOME=/tmp/pipenv PIPENV_CACHE_DIR=/tmp/pipenv PIP_NO_CACHE_DIR=1 "$pipenv" install --deploy --system`,
    'rm -rf /tmp/pipenv-venv /tmp/pipenv'
  ].join(' && ')
  ctx.report.notes.push(
    `Pipfile.lock is installed with the base image's pipenv when it has one (the build log prints its version), else with pipenv ${PIPENV_VERSION} installed for the build and removed: ` +
      "the lock decides every package, version and hash; the tool's version is the base image's, frozen when the base image is pinned by digest"
  )
  return {
    steps: [
      {
        from: ctx.files.path('Pipfile.lock'),
        stage: 'before-code',
        copy: [ctx.files.path('Pipfile'), ctx.files.path('Pipfile.lock')],
        run
      },
      ...projectStep(ctx, true)
    ],
    installs: [
      {
        ecosystem: 'python',
        file: ctx.files.path('Pipfile.lock'),
        sha256: await ctx.files.sha256('Pipfile.lock'),
        installer: `the base image's pipenv, else pipenv ${PIPENV_VERSION}: pipenv install --deploy --system`,
        pinning: 'locked'
      }
    ],
    floats: [],
    env: [],
    reasons: [`Pipfile.lock: pipenv install --deploy (the base image's pipenv, else ${PIPENV_VERSION})`]
  }
}
