/**
 * Lints a Dockerfile the way the issue asks ("hadolint-clean where it
 * applies") with what the npm registry has: dockerfile-utils' validator
 * (syntax, flags, absolute WORKDIR, reference formats, as Docker's builder
 * would reject) plus the hadolint rules that apply to generated files,
 * checked on dockerfile-ast's parse. hadolint itself is a Haskell binary and
 * cannot be installed here, so its rule ids are named next to each check.
 * Returns the problems found; [] means clean.
 */
import { createRequire } from 'node:module'

// Both packages are CommonJS; createRequire keeps them out of the ESM loader's interop rules.
const require = createRequire(import.meta.url)
const { validate } = require('dockerfile-utils') as typeof import('dockerfile-utils')
const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast')

export function lintDockerfile(text: string): string[] {
  const problems: string[] = []
  for (const d of validate(text)) {
    // LSP diagnostics may carry Markdown instead of a plain string.
    const message = typeof d.message === 'string' ? d.message : d.message.value
    problems.push(`dockerfile-utils line ${d.range.start.line + 1}: ${message}`)
  }

  const df = DockerfileParser.parse(text)
  if (df.getDirectives().length > 0) problems.push('parser directive present (a first-line "# syntax=" or "# escape=")')
  const instructions = df.getInstructions()
  const keywords = instructions.map((i) => i.getKeyword())
  const args = new Map<string, string>()
  let previous = ''
  let workdir = false
  for (const ins of instructions) {
    const kw = ins.getKeyword()
    const content = ins.getArgumentsContent() ?? ''
    const line = ins.getRange().start.line + 1
    const at = `line ${line} (${kw})`
    if (kw === 'ARG') {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(content.trim())
      if (m) args.set(m[1]!, m[2] ?? '')
    }
    if (kw === 'FROM') {
      const image = content
        .trim()
        .split(/\s+/)[0]!
        .replace(/^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/, (_, name: string) => args.get(name) ?? '')
      if (image === '') problems.push(`${at}: base image comes from an ARG without a default (DL3006)`)
      else if (!image.includes('@') && !/:[^/]+$/.test(image)) problems.push(`${at}: untagged base image ${image} (DL3006)`)
      if (/:latest(@|$)/.test(image)) problems.push(`${at}: base image tagged latest (DL3007)`)
    }
    if (kw === 'ADD') problems.push(`${at}: ADD instead of COPY (DL3020)`)
    if (kw === 'MAINTAINER') problems.push(`${at}: MAINTAINER is deprecated (DL4000)`)
    if (kw === 'WORKDIR') workdir = true
    if (kw === 'COPY') {
      const parts = ins.getArguments().map((a) => a.getValue())
      const dest = parts.at(-1) ?? ''
      if (parts.length > 2 && !dest.endsWith('/'))
        problems.push(`${at}: COPY with several sources needs a destination ending in / (DL3021)`)
      if (!dest.startsWith('/') && !workdir) problems.push(`${at}: relative COPY destination without WORKDIR (DL3045)`)
    }
    if ((kw === 'ENTRYPOINT' || kw === 'CMD') && !content.trim().startsWith('['))
      problems.push(`${at}: shell form; use JSON (exec) form (DL3025)`)
    if (kw === 'RUN') {
      if (previous === 'RUN') problems.push(`${at}: consecutive RUN instructions (DL3059)`)
      const commands = content.split(/&&|;|\|\||\n/).map((c) => c.trim())
      if (/(^|[^|])\|([^|]|$)/.test(content) && !/pipefail/.test(content)) problems.push(`${at}: pipe without pipefail (DL4006)`)
      for (const c of commands) {
        const words = c.split(/\s+/).filter((w) => !/^[A-Z_]+=/.test(w))
        if (words[0] === 'cd') problems.push(`${at}: cd in RUN; use WORKDIR (DL3003)`)
        if (words[0] === 'sudo') problems.push(`${at}: sudo (DL3004)`)
        if (words[0] === 'apt') problems.push(`${at}: apt instead of apt-get (DL3027)`)
        if (words[0] === 'apt-get' && words[1] === 'install') {
          if (!words.includes('-y') && !words.includes('--yes') && !words.includes('-qq'))
            problems.push(`${at}: apt-get install without -y (DL3014)`)
          if (!words.includes('--no-install-recommends')) problems.push(`${at}: apt-get install without --no-install-recommends (DL3015)`)
          if (!/rm -rf \/var\/lib\/apt\/lists\/\*/.test(content)) problems.push(`${at}: apt lists not deleted (DL3009)`)
        }
        const pip =
          words[0] === 'pip' || words[0] === 'pip3'
            ? 1
            : /^python3?$/.test(words[0] ?? '') && words[1] === '-m' && words[2] === 'pip'
              ? 3
              : 0
        if (pip && words[pip] === 'install' && !words.includes('--no-cache-dir'))
          problems.push(`${at}: pip install without --no-cache-dir (DL3042)`)
        if (words[0] === 'yarn' && words[1] === 'install' && !/yarn cache clean/.test(content) && !/--immutable/.test(c))
          problems.push(`${at}: yarn install without yarn cache clean (DL3060)`)
        if (words[0] === 'npm' && words[1] === 'install' && words.slice(2).some((w) => !w.startsWith('-') && !/@\d/.test(w)))
          problems.push(`${at}: npm install of an unpinned package (DL3016)`)
      }
    }
    previous = kw
  }
  const users = instructions.filter((i) => i.getKeyword() === 'USER')
  const lastUser = users.at(-1)?.getArgumentsContent()?.trim() ?? ''
  if (lastUser === '') problems.push('no USER: the image would run as root (DL3002)')
  else if (/^(root|0)(:|$)/.test(lastUser)) problems.push('the last USER is root (DL3002)')
  if (keywords.filter((k) => k === 'ENTRYPOINT').length > 1) problems.push('several ENTRYPOINT instructions (DL4004)')
  if (keywords.filter((k) => k === 'CMD').length > 1) problems.push('several CMD instructions (DL4003)')
  return problems
}
