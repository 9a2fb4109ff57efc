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
import { imageToolOrPinned, projectStep, type PythonContext, type PythonPlan } from './plan.js'

export const PIPENV_VERSION = '2024.4.1'

export async function planPipenv(ctx: PythonContext): Promise<PythonPlan> {
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
