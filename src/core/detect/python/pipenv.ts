/**
 * Pipfile.lock: pipenv, pinned to PIPENV_VERSION in a virtual environment of
 * its own, runs `pipenv install --deploy --system`: it refuses a lock that
 * no longer matches the Pipfile (`--deploy`), installs the locked versions
 * into the image's Python with their hashes checked, and is removed
 * afterwards. Only Pipfile and Pipfile.lock are copied first. The project
 * itself, if there is one, is installed after the code with `--no-deps`.
 */
import { projectStep, type PythonContext, type PythonPlan } from './plan.js'

export const PIPENV_VERSION = '2024.4.1'

export async function planPipenv(ctx: PythonContext): Promise<PythonPlan> {
  const run = [
    'python3 -m venv /opt/pipenv',
    `/opt/pipenv/bin/pip install --no-cache-dir pipenv==${PIPENV_VERSION}`,
    'PIPENV_PIPFILE=/job/code/Pipfile /opt/pipenv/bin/pipenv install --deploy --system',
    'rm -rf /opt/pipenv'
  ].join(' && ')
  return {
    steps: [{ from: 'Pipfile.lock', stage: 'before-code', copy: ['Pipfile', 'Pipfile.lock'], run }, ...projectStep(ctx, true)],
    installs: [
      {
        ecosystem: 'python',
        file: 'Pipfile.lock',
        sha256: await ctx.files.sha256('Pipfile.lock'),
        installer: `pipenv ${PIPENV_VERSION}: pipenv install --deploy --system`,
        pinning: 'locked'
      }
    ],
    floats: [],
    env: [],
    reasons: ['Pipfile.lock: pipenv install --deploy']
  }
}
