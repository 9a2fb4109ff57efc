/**
 * apt.txt: Debian packages to install into the image, one per line, `#`
 * comments allowed. Each name is checked against Debian's rules for package
 * names (an optional `:arch` and `=version` pin are allowed) before it can
 * reach an `apt-get install` line, so no line can add an option (`-o …`), a
 * second command or a new Dockerfile instruction. Lines that fail are left
 * out and reported.
 */
import { describeValue } from '../redact.js'
import { describeUnreadable, type CodeFiles } from './files.js'
import type { InstallPlan } from './install.js'
import type { Report } from './report.js'

// Debian policy 5.6.1: lower-case letters, digits, + - . ; at least two characters, starting with an alphanumeric.
const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]{1,99}(?::[a-z0-9][a-z0-9-]{0,31})?(?:=[0-9][A-Za-z0-9.+~:-]{0,99})?$/
export const MAX_APT_PACKAGES = 200

export async function detectApt(files: CodeFiles, report: Report): Promise<string[] | undefined> {
  const status = await files.read('apt.txt', 64 * 1024)
  if (status.state === 'missing') return undefined
  if (status.state !== 'ok') {
    report.warnings.push(describeUnreadable('apt.txt', status, 64 * 1024))
    return undefined
  }
  const { packages, rejected } = parseAptList(status.text)
  for (const r of rejected) report.warnings.push(`apt.txt: ${r}`)
  if (packages.length === 0) report.notes.push('apt.txt lists no packages')
  return packages
}

export function parseAptList(text: string): { packages: string[]; rejected: string[] } {
  const packages: string[] = []
  const rejected: string[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') return
    if (!APT_PACKAGE.test(line)) {
      rejected.push(
        `line ${i + 1} ${describeValue(line, 60)} is not a Debian package name (one per line: name, name:arch or name=version); left out`
      )
      return
    }
    if (packages.includes(line)) return
    if (packages.length >= MAX_APT_PACKAGES) {
      rejected.push(`line ${i + 1}: more than ${MAX_APT_PACKAGES} packages; the rest are left out`)
      return
    }
    packages.push(line)
  })
  // Only the first "too many" message is useful.
  const firstTooMany = rejected.findIndex((r) => r.includes('more than'))
  return { packages, rejected: rejected.filter((r, i) => !r.includes('more than') || i === firstTooMany) }
}

/**
 * The apt.txt step and its report: a package without `=version` floats within
 * the base image's Debian release; with one, its own dependencies still do.
 */
export async function aptInstallPlan(packages: string[], files: CodeFiles): Promise<InstallPlan> {
  if (packages.length === 0) return { steps: [], installs: [], floats: [] }
  const unpinned = packages.filter((p) => !p.includes('='))
  return {
    steps: [
      {
        from: files.path('apt.txt'),
        stage: 'system',
        copy: [],
        run: `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`
      }
    ],
    installs: [
      {
        ecosystem: 'debian',
        file: files.path('apt.txt'),
        sha256: await files.sha256('apt.txt'),
        installer: 'apt-get install',
        pinning: unpinned.length === 0 ? 'partial' : unpinned.length < packages.length ? 'partial' : 'none'
      }
    ],
    floats: unpinned.map((name) => ({
      kind: 'system-package' as const,
      ecosystem: 'debian' as const,
      name,
      from: files.path('apt.txt'),
      why: 'no =version: the mirror decides at build time'
    }))
  }
}
