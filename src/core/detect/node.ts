/**
 * Node: which package manager installs the dependencies, and which Node to
 * base the image on.
 *
 * Manifest (strong signal): package.json. Lockfiles pick the installer: the
 * one named by package.json's `packageManager` if its lockfile is there,
 * else the first of npm-shrinkwrap.json / package-lock.json (`npm ci`),
 * pnpm-lock.yaml (`pnpm install --frozen-lockfile`), yarn.lock (`yarn install
 * --frozen-lockfile`, or `--immutable` for Yarn 2+), bun.lock / bun.lockb
 * (Bun, at the version packageManager names or BUN_VERSION, installed from
 * the npm registry, then `bun install --frozen-lockfile`). Without a lockfile,
 * `npm install` runs when dependencies are declared (with a warning: the
 * versions are then resolved at build time). Hints, used only when no
 * language has a manifest: .nvmrc, .node-version, a *.js/*.mjs/*.cjs file at
 * the top level.
 *
 * Version, first that applies: .nvmrc, .node-version (a major version, or an
 * nvm alias: an LTS code name, or `lts/*` and the like, which is fixed to the
 * newest LTS line with a note), engines.node (the default 22 if allowed, else
 * the allowed LTS line nearest to it, else the nearest allowed line), else 22.
 * A pin is read by a pattern rather than by semver: it is nvm's syntax (one
 * version or an alias), not a range. Only majors from NODE_VERSIONS ever reach
 * the Dockerfile.
 */
import { describeValue } from '../redact.js'
import { describeUnreadable, type CodeFiles } from './files.js'
import type { InstallPlan } from './install.js'
import { nearest } from './python.js'
import type { Report } from './report.js'
import { parseNpmRange, type VersionRange } from './versions.js'

/** Majors with official `node:NN-bookworm-slim` images. */
export const NODE_VERSIONS = ['18', '19', '20', '21', '22', '23', '24', '25'] as const
const LTS_LINES = ['18', '20', '22', '24']
export const DEFAULT_NODE = '22'
const LTS_NAMES: Record<string, string> = { hydrogen: '18', iron: '20', jod: '22', krypton: '24' }
/** nvm aliases for "the newest" (LTS or not), all taken as the newest LTS line in NODE_VERSIONS. */
const MOVING_ALIASES = ['lts/*', 'lts', 'node', 'stable', 'latest']

export function nodeImage(version: string): string {
  return `node:${version}-bookworm-slim`
}

export type NodeManager = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry' | 'bun'

/**
 * Bun for a bun.lock whose package.json names no `bun@X.Y.Z`: fixed, so the
 * package builds the same later (a note says it was chosen here). Bun comes
 * from the npm registry (the `bun` package and its platform binary), which a
 * Node build can already reach for its dependencies.
 */
export const BUN_VERSION = '1.4.5'

export interface NodeFinding {
  manifest: boolean
  hints: string[]
  /** Absent when package.json declares no dependencies (nothing to install). */
  install?: {
    manager: NodeManager
    lockfile?: string
    /** Files copied before the install when it runs before the code (package.json, lockfile, .npmrc, …). */
    files: string[]
    stage: 'before-code' | 'after-code'
    /** Why the install must wait for the code, when it must. */
    afterCodeBecause?: string
    /** Without a lockfile: the declared dependencies' names (they float). */
    unlocked?: string[]
    /** The installer's own version, when this tool installs it (Bun). */
    toolVersion?: string
  }
  version: string
  versionFrom: string
  constraint?: string
}

const LOCKFILES: Array<{ file: string; manager: 'npm' | 'pnpm' | 'yarn' | 'bun' }> = [
  { file: 'npm-shrinkwrap.json', manager: 'npm' },
  { file: 'package-lock.json', manager: 'npm' },
  { file: 'pnpm-lock.yaml', manager: 'pnpm' },
  { file: 'yarn.lock', manager: 'yarn' },
  // bun.lock is Bun's text lock (1.2 and later), bun.lockb the binary one before it; both install with --frozen-lockfile.
  { file: 'bun.lock', manager: 'bun' },
  { file: 'bun.lockb', manager: 'bun' }
]
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare']

export async function detectNode(files: CodeFiles, report: Report): Promise<NodeFinding | undefined> {
  const hints: string[] = []
  let pkg: Record<string, unknown> | undefined
  const pkgFile = await files.read('package.json')
  if (pkgFile.state === 'ok') {
    try {
      const parsed: unknown = JSON.parse(pkgFile.text)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) pkg = parsed as Record<string, unknown>
      else report.warnings.push('package.json is not a JSON object; ignored')
    } catch {
      report.warnings.push('package.json is not valid JSON; ignored')
    }
  } else if (pkgFile.state !== 'missing') report.warnings.push(describeUnreadable('package.json', pkgFile))

  // Version pins.
  let pinned: { version: string; from: string } | undefined
  for (const name of ['.nvmrc', '.node-version']) {
    const status = await files.read(name, 4096)
    if (status.state === 'missing') continue
    if (status.state !== 'ok') {
      report.warnings.push(describeUnreadable(name, status, 4096))
      continue
    }
    hints.push(name)
    const line =
      status.text
        .split(/\r?\n/)
        .map((l) => l.replace(/#.*/, '').trim())
        .find((l) => l !== '') ?? ''
    const version = nodeMajorFromPin(line)
    if (!version)
      report.warnings.push(
        `${name} asks for ${describeValue(line, 60)}, which is not a Node version with an official image (${NODE_VERSIONS.join(', ')}); ignored`
      )
    else if (!pinned) {
      pinned = { version, from: name }
      // These aliases name a newer release as time goes on; the archive must build the same later, so it gets one fixed line.
      if (MOVING_ALIASES.includes(line.toLowerCase()))
        report.notes.push(
          `${name} asks for ${describeValue(line, 60)}, whose meaning changes as Node is released; using Node ${version}, the newest long-term-support line with an image here`
        )
    } else if (pinned.version !== version)
      report.notes.push(`${name} asks for Node ${version}; ${pinned.from} (${pinned.version}) comes first`)
  }

  for (const name of files.names) {
    if (/\.(js|mjs|cjs)$/.test(name) && (await files.isRegularFile(name))) {
      hints.push(name)
      break
    }
  }

  if (!pkg && hints.length === 0) return undefined

  let range: { text: string; range: VersionRange } | undefined
  const engines = pkg?.engines
  const enginesNode = engines && typeof engines === 'object' ? (engines as Record<string, unknown>).node : undefined
  if (typeof enginesNode === 'string') {
    const parsed = parseNpmRange(enginesNode.trim())
    if (parsed) range = { text: enginesNode, range: parsed }
    else report.warnings.push(`engines.node ${describeValue(enginesNode, 80)} is not a version range this tool understands; ignored`)
  }

  let version: string
  let versionFrom: string
  if (pinned) {
    version = pinned.version
    versionFrom = pinned.from
    if (range && !range.range.allows(version))
      report.warnings.push(`Node ${version} from ${pinned.from} is outside engines.node ${describeValue(range.text, 80)}; using ${version}`)
  } else if (range) {
    const allowed = NODE_VERSIONS.filter((v) => range.range.allows(v))
    // Long-term-support lines first: a range like ">=23" should not land on a short-lived odd release when 24 is allowed.
    const chosen =
      nearest(
        allowed.filter((v) => LTS_LINES.includes(v)),
        NODE_VERSIONS,
        DEFAULT_NODE
      ) ?? nearest(allowed, NODE_VERSIONS, DEFAULT_NODE)
    if (chosen) {
      version = chosen
      versionFrom = 'engines.node'
    } else {
      report.warnings.push(
        `engines.node ${describeValue(range.text, 80)} allows none of the Node versions with an official image (${NODE_VERSIONS.join(', ')}); using ${DEFAULT_NODE}`
      )
      version = DEFAULT_NODE
      versionFrom = 'default'
    }
  } else {
    version = DEFAULT_NODE
    versionFrom = 'default'
  }

  const finding: NodeFinding = { manifest: pkg !== undefined, hints, version, versionFrom, constraint: range?.text }
  if (pkg) finding.install = await chooseInstall(files, pkg, report)
  return finding
}

/** `20`, `v20.11.1`, `20.x`, `lts/iron`, `lts/*`, `node` → a major we have an image for. */
export function nodeMajorFromPin(text: string): string | undefined {
  const t = text.trim().toLowerCase()
  if (MOVING_ALIASES.includes(t)) return LTS_LINES.at(-1)
  const lts = /^lts\/([a-z]+)$/.exec(t)
  if (lts) return LTS_NAMES[lts[1]!]
  const m = /^v?(\d{1,3})(?:\.(?:\d+|x))?(?:\.(?:\d+|x))?$/.exec(t)
  if (!m) return undefined
  return (NODE_VERSIONS as readonly string[]).includes(m[1]!) ? m[1] : undefined
}

async function chooseInstall(files: CodeFiles, pkg: Record<string, unknown>, report: Report): Promise<NodeFinding['install']> {
  const present: typeof LOCKFILES = []
  for (const lock of LOCKFILES) {
    if (await files.isRegularFile(lock.file)) present.push(lock)
    else if (files.names.includes(lock.file))
      report.warnings.push(`${lock.file} is not a regular file (a symbolic link or a folder); ignored`)
  }
  const declared = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@(\d+)/.exec(pkg.packageManager) : null
  let lock = declared ? present.find((l) => l.manager === declared[1]) : undefined
  if (declared && !lock && present.length > 0)
    report.notes.push(`packageManager names ${declared[1]}, but its lockfile is not in the repository; using ${present[0]!.file}`)
  lock ??= present[0]
  for (const other of present) if (other !== lock) report.notes.push(`${other.file} is also present; ${lock!.file} is used`)

  const depEntries = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((k) => {
    const v = pkg[k]
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>) : []
  })
  const deps = depEntries.map(([, v]) => v)
  if (!lock) {
    if (deps.length === 0) {
      report.notes.push('package.json declares no dependencies: nothing to install')
      return undefined
    }
    report.warnings.push(
      'package.json has dependencies but no lockfile: npm install resolves their versions at build time, so two builds may differ (commit a package-lock.json for npm ci)'
    )
  }

  let manager: NodeManager = lock?.manager ?? 'npm'
  if (manager === 'yarn') {
    const head = (await files.head('yarn.lock', 4096)) ?? ''
    if ((declared?.[1] === 'yarn' && Number(declared[2]) >= 2) || /^__metadata:/m.test(head)) manager = 'yarn-berry'
  }

  // The install can run before the code is copied (and its layer be reused
  // when only the code changes) unless it needs more of the tree than the
  // manifests: install scripts, workspaces, local packages, Yarn 2+'s .yarn/.
  const scripts = pkg.scripts && typeof pkg.scripts === 'object' ? Object.keys(pkg.scripts) : []
  const hooks = INSTALL_SCRIPTS.filter((s) => scripts.includes(s))
  let afterCodeBecause: string | undefined
  if (manager === 'yarn-berry') afterCodeBecause = 'Yarn 2+ reads .yarnrc.yml and .yarn/ from the repository'
  else if (hooks.length > 0) afterCodeBecause = `package.json has install scripts (${hooks.join(', ')})`
  else if (pkg.workspaces !== undefined || files.names.includes('pnpm-workspace.yaml')) afterCodeBecause = 'the project uses workspaces'
  else if (deps.some((d) => typeof d === 'string' && /^(file:|link:|workspace:|portal:|\.{0,2}\/)/.test(d)))
    afterCodeBecause = 'package.json refers to local packages'

  const manifests = ['package.json']
  if (lock) manifests.push(lock.file)
  const rc = manager === 'yarn' ? ['.npmrc', '.yarnrc'] : manager === 'bun' ? ['.npmrc', 'bunfig.toml'] : ['.npmrc']
  for (const f of rc) if (await files.isRegularFile(f)) manifests.push(f)
  let toolVersion: string | undefined
  if (manager === 'bun') {
    const exact = typeof pkg.packageManager === 'string' ? /^bun@(\d+\.\d+\.\d+)$/.exec(pkg.packageManager.split('+')[0]!) : null
    toolVersion = exact?.[1] ?? BUN_VERSION
    if (!exact)
      report.notes.push(
        `package.json's packageManager does not name an exact Bun version (bun@X.Y.Z); Bun ${BUN_VERSION} installs ${lock!.file}`
      )
  }
  return {
    manager,
    lockfile: lock?.file,
    files: manifests,
    stage: afterCodeBecause ? 'after-code' : 'before-code',
    afterCodeBecause,
    ...(lock ? {} : { unlocked: [...new Set(depEntries.map(([name]) => name))] }),
    ...(toolVersion ? { toolVersion } : {})
  }
}

export function nodeInstallCommand(manager: string, locked: boolean, toolVersion = BUN_VERSION): string {
  switch (manager) {
    case 'bun':
      // Bun stays in the image: the job's command may well be `bun run …`.
      return `npm install --global --no-audit --no-fund bun@${toolVersion} && bun install --frozen-lockfile && npm cache clean --force`
    case 'pnpm':
      return 'COREPACK_ENABLE_DOWNLOAD_PROMPT=0 corepack enable pnpm && pnpm install --frozen-lockfile'
    case 'yarn':
      return 'yarn install --frozen-lockfile --non-interactive && yarn cache clean'
    case 'yarn-berry':
      return 'COREPACK_ENABLE_DOWNLOAD_PROMPT=0 corepack enable yarn && yarn install --immutable'
    default:
      return `${locked ? 'npm ci' : 'npm install'} --no-audit --no-fund && npm cache clean --force`
  }
}

/** The install step, the file used and what floats, for the Dockerfile and the frozen report. */
export async function nodeInstallPlan(install: NonNullable<NodeFinding['install']>, files: CodeFiles): Promise<InstallPlan> {
  const file = install.lockfile ?? 'package.json'
  const run = nodeInstallCommand(install.manager, install.lockfile !== undefined, install.toolVersion)
  return {
    steps: [{ from: file, stage: install.stage, copy: install.stage === 'before-code' ? install.files : [], run }],
    installs: [
      {
        ecosystem: 'node',
        file,
        sha256: await files.sha256(file),
        installer:
          install.manager === 'bun'
            ? `bun ${install.toolVersion ?? BUN_VERSION}: bun install --frozen-lockfile`
            : (run.split(' && ').find((c) => /^(npm|pnpm|yarn) /.test(c)) ?? run),
        pinning: install.lockfile ? 'locked' : 'none'
      }
    ],
    floats: (install.unlocked ?? []).map((name) => ({
      kind: 'requirement' as const,
      ecosystem: 'node' as const,
      name,
      from: 'package.json',
      why: 'no lockfile: npm install chooses the version at build time'
    }))
  }
}
