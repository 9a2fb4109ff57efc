/**
 * The frozen verdict: how much of the image's environment is decided by the
 * package itself, and how much is chosen when the image is built.
 *
 *   frozen  nothing floats: every dependency comes from a lock, by version
 *           and (where the format has them) by hash;
 *   not     some language ecosystem has dependencies and no pins at all
 *           (a pyproject.toml or package.json without a lock, a
 *           requirements.txt without one `==`);
 *   partly  anything in between: a lock plus something that floats (a
 *           requirements file with pins but without hashes, Debian packages
 *           without `=version`, a base image tag without a digest, …).
 *
 * Debian packages from apt.txt never make the verdict "not" by themselves:
 * they come from the base image's release, which moves only by its updates.
 * Floats from outside detection (the base image's tag, from the code that
 * pins base images by digest) are passed in by the caller and count the same.
 */
import type { EcosystemInstall, Float } from './install.js'

export type { Float } from './install.js'

export type Verdict = 'frozen' | 'partly' | 'not'

export interface FrozenReport {
  verdict: Verdict
  /** Per ecosystem: the file its dependencies were installed from, its sha256, the installer and how much it pins. */
  ecosystems: EcosystemInstall[]
  /** Everything chosen at build time, with why. */
  floats: Float[]
}

export function frozenReport(installs: EcosystemInstall[], floats: Float[], extra: Float[] = []): FrozenReport {
  // Names may be repository text (a requirement, a conda spec): printable, one line, bounded, wherever they are shown.
  const all = [...floats, ...extra].map((f) => ({ ...f, name: printable(f.name) }))
  let verdict: Verdict = 'frozen'
  if (all.length > 0) verdict = installs.some((i) => i.ecosystem !== 'debian' && i.pinning === 'none') ? 'not' : 'partly'
  return { verdict, ecosystems: installs, floats: all }
}

/** One line for logs and the CLI: "partly frozen: 2 things float (python requirement flask; base image python:3.12-slim)". */
export function describeFrozen(report: FrozenReport, max = 5): string {
  const head =
    report.verdict === 'frozen'
      ? 'frozen: nothing floats'
      : `${report.verdict === 'not' ? 'not frozen' : 'partly frozen'}: ${report.floats.length} thing${report.floats.length === 1 ? '' : 's'} float${report.floats.length === 1 ? 's' : ''}`
  if (report.floats.length === 0) return head
  const shown = report.floats.slice(0, max).map(describeFloat)
  const more = report.floats.length > max ? `, and ${report.floats.length - max} more (job.json)` : ''
  return `${head} (${shown.join('; ')}${more})`
}

export function describeFloat(f: Float): string {
  switch (f.kind) {
    case 'requirement':
      return `${f.ecosystem ?? ''} requirement ${f.name}${f.from ? ` in ${f.from}` : ''}`.trim()
    case 'unlisted-dependencies':
      return `dependencies not listed in ${f.name}`
    case 'system-package':
      // apt.txt's are Debian packages; the CUDA base's python3 comes from Ubuntu's archive.
      return f.ecosystem === 'debian' ? `Debian package ${f.name}` : `system package ${f.name}${f.from === 'gpu' ? ' (the CUDA base)' : ''}`
    case 'base-image':
      return `base image ${f.name}`
    default:
      return f.name
  }
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?')
  return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean
}
