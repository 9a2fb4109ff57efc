/**
 * Configuration folders (the Reproducible Execution Environment
 * Specification, as Binder and repo2docker read it): when the repository has
 * a `binder/` or a `.binder/` folder, the environment files are read from
 * that folder, and the ones at the root are ignored. Three files of the
 * specification are read at the root only, and not at all when there is a
 * folder: setup.py, pyproject.toml and DESCRIPTION (they describe the project
 * itself, which lives at the root).
 *
 * The specification treats the two folders as exclusive. A repository with
 * both is packaged rather than refused (the commit cannot be changed by the
 * person packaging it): binder/ is used and .binder/ is named as ignored.
 *
 * Detection then sees one view of the code (configurationView): the
 * environment files of the folder, under their own names, and the root's
 * entries that are not environment files (code such as main.py, which hint
 * at the language). Every environment file left out of the view is named in
 * a note or a warning, so nothing is ignored silently.
 */
import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { openCodeFiles, type CodeFiles } from './files.js'
import type { InstallStep } from './install.js'
import type { Report } from './report.js'

export const CONFIG_FOLDERS = ['binder', '.binder'] as const
export type ConfigFolder = (typeof CONFIG_FOLDERS)[number]

/** The specification's own list of configuration files. */
export const SPEC_FILES = [
  'environment.yml',
  'Pipfile',
  'Pipfile.lock',
  'requirements.txt',
  'setup.py',
  'pyproject.toml',
  'Project.toml',
  'REQUIRE',
  'install.R',
  'DESCRIPTION',
  'apt.txt',
  'postBuild',
  'start',
  'runtime.txt',
  'default.nix',
  'Dockerfile'
] as const

/** Read at the root only; ignored when a configuration folder is used (the specification's rule). */
export const ROOT_ONLY = ['setup.py', 'pyproject.toml', 'DESCRIPTION'] as const

/** What is read from a configuration folder: the specification's files (less ROOT_ONLY) and the locks that go with them. */
export const FOLDER_FILES = [
  'environment.yml',
  'environment.yaml',
  'Pipfile',
  'Pipfile.lock',
  'requirements.txt',
  'Project.toml',
  'Manifest.toml',
  'REQUIRE',
  'install.R',
  'apt.txt',
  'postBuild',
  'start',
  'runtime.txt',
  'default.nix',
  'shell.nix',
  'Dockerfile'
] as const

/**
 * Every file at the root that says something about the environment, for any
 * detector: with a configuration folder, these are left out of the view and
 * named as ignored. Anything else at the root (the code) stays visible.
 */
const ROOT_ENVIRONMENT_FILES = new Set<string>([
  ...SPEC_FILES,
  ...FOLDER_FILES,
  'uv.lock',
  'poetry.lock',
  'conda-linux-64.lock',
  'conda-lock.yml',
  '.python-version',
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
  '.nvmrc',
  '.node-version',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  'bunfig.toml',
  'renv.lock'
])
const REQUIREMENTS_FILE = /^requirements[A-Za-z0-9._-]{0,100}\.txt$/

export function isRootEnvironmentFile(name: string): boolean {
  return ROOT_ENVIRONMENT_FILES.has(name) || REQUIREMENTS_FILE.test(name)
}

export interface ConfigView {
  /** What detection reads: the folder's environment files and the root's code. */
  files: CodeFiles
  /** The folder used, when there is one. */
  folder?: ConfigFolder
  /** Root environment files left out because of the folder (sorted). */
  ignoredAtRoot: string[]
}

/** Chooses the configuration folder and returns the view detection reads through. */
export async function configurationView(codeDir: string, root: CodeFiles, report: Report): Promise<ConfigView> {
  const folders: ConfigFolder[] = []
  for (const name of CONFIG_FOLDERS) {
    if (!root.names.includes(name)) continue
    const st = await lstat(path.join(codeDir, name))
    if (st.isDirectory()) folders.push(name)
    else if (st.isSymbolicLink())
      report.warnings.push(
        `${name} is a symbolic link; it is not used as a configuration folder (detection never follows links), so the environment files at the root are read`
      )
  }
  const folder = folders[0]
  if (!folder) return { files: root, ignoredAtRoot: [] }
  if (folders.length > 1)
    report.warnings.push(
      'the repository has both binder/ and .binder/, which the specification allows only one of; binder/ is used and everything in .binder/ is ignored'
    )
  const inFolder = await openCodeFiles(path.join(codeDir, folder), folder)
  const fromFolder = inFolder.names.filter((n) => (FOLDER_FILES as readonly string[]).includes(n))
  const notRead = inFolder.names.filter((n) => !fromFolder.includes(n) && isRootEnvironmentFile(n))
  const ignoredAtRoot = root.names.filter((n) => isRootEnvironmentFile(n))
  const fromRoot = root.names.filter((n) => !isRootEnvironmentFile(n) && !(CONFIG_FOLDERS as readonly string[]).includes(n))

  report.notes.push(
    `${folder}/ holds the environment files (the Reproducible Execution Environment Specification's rule): ${
      fromFolder.length > 0 ? fromFolder.map((n) => `${folder}/${n}`).join(', ') : 'none that job-packager reads'
    }`
  )
  if (ignoredAtRoot.length > 0)
    report.warnings.push(
      `${folder}/ is the configuration folder, so these files at the root are ignored: ${ignoredAtRoot.join(', ')} (move what the job needs into ${folder}/)`
    )
  for (const name of notRead)
    report.warnings.push(
      (ROOT_ONLY as readonly string[]).includes(name)
        ? `${folder}/${name} is ignored: the specification reads ${name} only at the root, and not at all when there is a configuration folder`
        : `${folder}/${name} is ignored: job-packager reads only ${FOLDER_FILES.join(', ')} from a configuration folder`
    )

  const where = (name: string): CodeFiles => (fromFolder.includes(name) ? inFolder : root)
  const visible = new Set([...fromFolder, ...fromRoot])
  const missing = { state: 'missing' } as const
  return {
    folder,
    ignoredAtRoot,
    files: {
      names: [...visible].sort(),
      read: async (name, maxBytes) => (visible.has(name) ? where(name).read(name, maxBytes) : missing),
      head: async (name, bytes) => (visible.has(name) ? where(name).head(name, bytes) : undefined),
      isRegularFile: async (name) => visible.has(name) && where(name).isRegularFile(name),
      sha256: async (name) => (visible.has(name) ? where(name).sha256(name) : undefined),
      path: (name) => where(name).path(name)
    }
  }
}

/**
 * postBuild and start, from the configuration folder or the root.
 * - postBuild runs at the end of the build, as the job's user, from where it
 *   is in code/ (copied with the code, never written into the Dockerfile).
 * - start wraps the command at run time: run.sh runs `start /bin/sh run.sh`
 *   once, and start must end with `exec "$@"`. Recorded in job.json, so
 *   verify renders the same run.sh.
 * Both are made executable in the image (the specification does not require
 * the executable bit in the commit); on the host, run.sh needs start to be
 * executable in the checkout, which a note says when it is not.
 */
export async function detectScripts(
  files: CodeFiles,
  codeDir: string,
  report: Report
): Promise<{ steps: InstallStep[]; start?: string; reasons: string[] }> {
  const steps: InstallStep[] = []
  const reasons: string[] = []
  let start: string | undefined
  for (const name of ['start', 'postBuild'] as const) {
    if (!files.names.includes(name)) continue
    const at = files.path(name)
    if (!(await files.isRegularFile(name))) {
      report.warnings.push(`${at} is not a regular file (a symbolic link or a folder); it is not run`)
      continue
    }
    const mode = (await lstat(path.join(codeDir, at))).mode
    if ((mode & 0o111) === 0)
      report.notes.push(
        name === 'start'
          ? `${at} is not executable in the commit: the image makes it executable, but run.sh on a host (the none engine) cannot run it`
          : `${at} is not executable in the commit; the image makes it executable before running it`
      )
    if (name === 'start') {
      start = at
      steps.push({ from: at, stage: 'post-build', copy: [], run: `chmod +x ${at}` })
      reasons.push(`${at}: wraps the command (start CMD...)`)
    } else {
      steps.push({ from: at, stage: 'post-build', copy: [], run: `chmod +x ${at} && ./${at}` })
      reasons.push(`${at}: run at the end of the build, as the job's user`)
    }
  }
  for (const name of ['default.nix', 'shell.nix'])
    if (files.names.includes(name))
      report.warnings.push(
        `${files.path(name)} is not supported: job-packager does not build Nix environments; the image is generated from the other environment files, without Nix`
      )
  if (files.names.includes('Dockerfile') && files.path('Dockerfile') !== 'Dockerfile')
    report.warnings.push(
      `${files.path('Dockerfile')} is not used: job-packager builds a repository's own Dockerfile only from code/Dockerfile (use-repo-dockerfile); the image is generated from the other environment files`
    )
  return { steps, start, reasons }
}
