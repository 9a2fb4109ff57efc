/**
 * conda environments, installed with micromamba on its own base image
 * (MICROMAMBA_IMAGE) into its `base` environment at /opt/conda, which PATH
 * puts first. The most frozen file wins: an explicit lock
 * (conda-linux-64.lock, `@EXPLICIT`: package URLs with their hashes), then
 * conda-lock's unified conda-lock.yml, then environment.yml (names and
 * ranges: the solver chooses versions at build time, so each entry without
 * an exact pin floats). The file alone is copied before the install, unless
 * environment.yml's pip section installs local paths (`-e .`), which need the
 * code.
 */
import type { Float } from '../install.js'
import type { PythonContext, PythonPlan } from './plan.js'

export const MICROMAMBA_VERSION = '1.5.10'
export const MICROMAMBA_IMAGE = `mambaorg/micromamba:${MICROMAMBA_VERSION}-bookworm-slim`
export const CONDA_FILES = ['conda-linux-64.lock', 'conda-lock.yml', 'environment.yml', 'environment.yaml'] as const

/** The conda file that wins, if any (the explicit lock only when it says @EXPLICIT). */
export async function findCondaFile(ctx: PythonContext): Promise<(typeof CONDA_FILES)[number] | undefined> {
  for (const name of CONDA_FILES) {
    if (!(await ctx.files.isRegularFile(name))) continue
    if (name === 'conda-linux-64.lock' && !/^@EXPLICIT\s*$/m.test((await ctx.files.head(name, 64 * 1024)) ?? '')) {
      ctx.report.warnings.push('conda-linux-64.lock has no @EXPLICIT line, so it is not an explicit lock; ignored')
      continue
    }
    return name
  }
  return undefined
}

export async function planConda(ctx: PythonContext, file: (typeof CONDA_FILES)[number]): Promise<PythonPlan> {
  const locked = file === 'conda-linux-64.lock' || file === 'conda-lock.yml'
  let floats: Float[] = []
  let local = false
  let channel = ''
  let pinning: 'locked' | 'partial' | 'none' = 'locked'
  if (!locked) {
    const text = await ctx.files.read(file)
    if (text.state === 'ok') {
      // micromamba 1.5 has no default channel: a file without channels would find no package.
      if (!/^channels\s*:/m.test(text.text)) {
        channel = ' --channel conda-forge'
        ctx.report.notes.push(
          `${ctx.files.path(file)} names no channels: conda-forge is used (--channel conda-forge; micromamba ${MICROMAMBA_VERSION} has no default channel)`
        )
      }
      if (!/^dependencies\s*:/m.test(text.text))
        ctx.report.warnings.push(`${ctx.files.path(file)} has no top-level dependencies: list; micromamba installs nothing from it`)
    }
    const scan = text.state === 'ok' ? scanEnvironmentYml(text.text) : { conda: [], pip: [], local: false, entries: 0 }
    local = scan.local
    const unpinned = scan.conda.length + scan.pip.length
    pinning = unpinned < scan.entries ? 'partial' : 'none'
    floats = [
      ...scan.conda.map((name) => ({
        kind: 'requirement' as const,
        ecosystem: 'conda' as const,
        name,
        from: file,
        why: 'no exact pin: the solver chooses the version at build time'
      })),
      ...scan.pip.map((name) => ({
        kind: 'requirement' as const,
        ecosystem: 'python' as const,
        name,
        from: file,
        why: 'pip requirement without an exact == pin'
      })),
      {
        kind: 'unlisted-dependencies',
        ecosystem: 'conda',
        name: file,
        from: file,
        why: 'dependencies of the listed packages are solved at build time'
      }
    ]
  }
  const at = ctx.files.path(file)
  for (const other of CONDA_FILES)
    if (other !== file && (await ctx.files.isRegularFile(other)))
      ctx.report.notes.push(`${ctx.files.path(other)} is also present; ${at} is used`)
  const run = `micromamba install --yes --name base --file ${at}${channel} && micromamba clean --all --yes`
  return {
    steps: [local ? { from: at, stage: 'after-code', copy: [], run } : { from: at, stage: 'before-code', copy: [at], run }],
    installs: [
      {
        ecosystem: 'conda',
        file: at,
        sha256: await ctx.files.sha256(file),
        installer: `micromamba ${MICROMAMBA_VERSION}: micromamba install --file ${at}`,
        pinning
      }
    ],
    floats,
    env: ['PATH=/opt/conda/bin:${PATH}'],
    baseImage: MICROMAMBA_IMAGE,
    asRoot: true,
    runtime: 'conda',
    reasons: [`${at}: micromamba install${local ? ' (after the code: its pip section installs local paths)' : ''}`]
  }
}

/**
 * environment.yml's `dependencies:` list read line by line (no YAML library
 * is needed for a list of strings): conda specs, and the `pip:` sub-list.
 * Returns the names that are not pinned exactly (`name==1.2` or
 * `name=1.2=build` for conda, `name==1.2` for pip), and whether a pip entry
 * is a local path.
 */
export function scanEnvironmentYml(text: string): { conda: string[]; pip: string[]; local: boolean; entries: number } {
  const conda: string[] = []
  const pip: string[] = []
  let local = false
  let entries = 0
  let inDeps = false
  let pipIndent = -1
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '')
    if (/^\S/.test(line)) {
      inDeps = /^dependencies\s*:/.test(line)
      pipIndent = -1
      continue
    }
    if (!inDeps) continue
    const m = /^(\s*)-\s*(.+?)\s*$/.exec(line)
    if (!m) continue
    const indent = m[1]!.length
    const item = m[2]!.replace(/^["']|["']$/g, '')
    if (pipIndent >= 0 && indent > pipIndent) {
      entries++
      if (/^(-e|--editable)\b|^(\.|\/|~|file:)/.test(item)) local = true
      else if (!/^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*===?\s*[A-Za-z0-9.+!_-]+$/.test(item)) pip.push(item.split(/[\s<>=!~;[@]/)[0] || item)
      continue
    }
    pipIndent = -1
    if (/^pip\s*:$/.test(item)) {
      pipIndent = indent
      continue
    }
    entries++
    const spec = item.replace(/^[A-Za-z0-9_.-]+::/, '')
    if (!/^[A-Za-z0-9_.-]+(==[^=\s*]+|=[^=\s*]+=\S+)$/.test(spec)) conda.push(spec.split(/[\s<>=!~]/)[0] || spec)
  }
  return { conda, pip, local, entries }
}
