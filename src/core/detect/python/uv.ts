/**
 * uv.lock: uv, pinned to UV_VERSION and installed with pip in the image,
 * runs `uv sync --frozen` (the lock as it is, never re-resolved) into a
 * virtual environment at /opt/venv, which PATH puts first. The dependencies
 * are installed from pyproject.toml and uv.lock alone
 * (`--no-install-project`), before the code is copied; the project itself,
 * when it is a package (it has a [build-system]), is installed after.
 * uv never downloads a Python here (UV_PYTHON_DOWNLOADS=never): the base
 * image's is the one detection chose from requires-python.
 * A workspace, or sources that are local paths, need the whole tree: then
 * the sync runs after the code is copied.
 */
import { buildBackendNote, table, type PythonContext, type PythonPlan } from './plan.js'

/** The uv every package uses; pinned so that a rebuild reads the lock with the same uv. */
export const UV_VERSION = '0.8.15'
export const UV_ENV = [
  'UV_PROJECT_ENVIRONMENT=/opt/venv',
  'UV_PYTHON_DOWNLOADS=never',
  'UV_NO_CACHE=1',
  'VIRTUAL_ENV=/opt/venv',
  'PATH=/opt/venv/bin:${PATH}'
]

export async function planUv(ctx: PythonContext): Promise<PythonPlan> {
  const uv = table(ctx.pyproject, 'tool', 'uv')
  const sources = table(uv, 'sources') ?? {}
  const localSource = Object.values(sources).some((s) => {
    const list = Array.isArray(s) ? s : [s]
    return list.some((e) => e && typeof e === 'object' && ('path' in e || 'workspace' in e))
  })
  const afterCodeBecause = table(uv, 'workspace')
    ? 'the project is a uv workspace'
    : localSource
      ? 'tool.uv.sources names local paths'
      : undefined
  const packaged = table(ctx.pyproject, 'build-system') !== undefined
  const install = `python3 -m pip install --no-cache-dir uv==${UV_VERSION}`
  const sync = 'uv sync --frozen --no-dev'
  const steps: PythonPlan['steps'] = afterCodeBecause
    ? [{ from: 'uv.lock', stage: 'after-code', copy: [], run: `${install} && ${sync}` }]
    : [
        { from: 'uv.lock', stage: 'before-code', copy: ['pyproject.toml', 'uv.lock'], run: `${install} && ${sync} --no-install-project` },
        ...(packaged ? [{ from: 'pyproject.toml', stage: 'after-code' as const, copy: [], run: sync }] : [])
      ]
  if (packaged) buildBackendNote(ctx, 'uv.lock')
  return {
    steps,
    installs: [
      {
        ecosystem: 'python',
        file: 'uv.lock',
        sha256: await ctx.files.sha256('uv.lock'),
        installer: `uv ${UV_VERSION}: uv sync --frozen --no-dev`,
        pinning: 'locked'
      }
    ],
    floats: [],
    env: UV_ENV,
    reasons: [afterCodeBecause ? `uv.lock: uv sync --frozen (after the code: ${afterCodeBecause})` : 'uv.lock: uv sync --frozen']
  }
}
