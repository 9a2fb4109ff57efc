/**
 * `job-packager --help`, generated from the option registry: one section per
 * group, each flag with its value placeholder, aliases, help and default. A
 * test checks that every registry entry the CLI takes is listed.
 */
import { commandOptions, GROUP_TITLES, helpText, isCliFlag, type CommandName, type OptionDef, type OptionGroup } from '../core/index.js'
import { cliNamer } from './cli-names.js'
import { PACKAGER_NAME } from '../version.js'

const WIDTH = 100
const FLAG_COLUMN = 30

/** Words wrapped to `width`, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join(`\n${' '.repeat(indent)}`)
}

/** The default as the CLI's user sees it, or undefined when there is none worth showing. */
export function cliDefault(def: OptionDef<unknown>): string | undefined {
  if (isCliFlag(def.cli) && def.cli.defaultText) return def.cli.defaultText
  if (def.default === undefined || def.default === false) return undefined
  return def.kind.format(def.default)
}

/** The left column: `--flag VALUE, --alias` (or the environment variable). */
export function cliSynopsis(def: OptionDef<unknown>): string {
  if (!def.cli) return ''
  if (!isCliFlag(def.cli)) return `$${def.cli.env}`
  const value = def.kind.metavar ? ` ${def.kind.metavar}` : ''
  const names = [`--${def.cli.flag}${value}`, ...(def.cli.aliases ?? []).map((a) => `--${a}`)]
  if (def.cli.short) names.unshift(`-${def.cli.short}`)
  return names.join(', ')
}

export function cliHelpText(def: OptionDef<unknown>): string {
  const text = helpText(def.cli?.help ?? def.help, (key) => cliNamer(key))
  const extra: string[] = []
  if (isCliFlag(def.cli) && def.cli.repeatable) extra.push('repeatable')
  const dflt = cliDefault(def)
  if (dflt !== undefined) extra.push(`default: ${dflt}`)
  return extra.length ? `${text} (${extra.join('; ')})` : text
}

const USAGE = `Usage: ${PACKAGER_NAME} pack [options]
       ${PACKAGER_NAME} verify ARCHIVE|DIR [--sha256 HEX]
       ${PACKAGER_NAME} run ARCHIVE|DIR [options]
       ${PACKAGER_NAME} COMMAND --help | --version`

const ABOUT: Record<CommandName, string> = {
  pack: `Packages a git commit, its datasets and a command into {output-dir}/{job_id}/ and
{output-dir}/{job_id}.tar.gz (entries under {job_id}/); \`${PACKAGER_NAME} run\` runs it. The command
word may be left out: \`${PACKAGER_NAME} --git-url ...\` is pack.`,
  verify: `Checks a package ({job_id}.tar.gz, or its unpacked {job_id}/ folder): every file against
files.sha256 and the content digest in job.json, job.json against run.sh and data/, nothing that
could leave the folder when unpacked (absolute paths, .., symlinks out, hard links, devices) or
unpack past --max-package-bytes, with --sha256 the archive's own bytes, and the provenance
statement beside the archive (or --statement): it must name this package. Exit status 0 when
intact, 1 (naming the file) when not.`,
  run: `Verifies the package, unpacks it into a work folder, builds its image and runs the job with
limits as the image's non-root user; OUTPUT_DIR is captured. Writes {results-dir}/{job_id}-result/
(result.json, stdout.log, stderr.log, output/) and {results-dir}/{job_id}-result.tar.gz.
Exit status: the job's own; 124 when it was stopped at --timeout or --max-output-bytes;
1 when it could not be run; 2 invalid input; 130/143 interrupted.`
}

export function renderHelp(command: CommandName = 'pack'): string {
  const sections = new Map<OptionGroup, string[]>()
  const env: string[] = []
  const row = (left: string, text: string): string => {
    const pad = left.length + 2 >= FLAG_COLUMN ? `\n${' '.repeat(FLAG_COLUMN)}` : ' '.repeat(FLAG_COLUMN - left.length - 2)
    return `  ${left}${pad}${wrap(text, WIDTH - FLAG_COLUMN, FLAG_COLUMN)}`
  }
  for (const [, def] of commandOptions(command)) {
    if (!def.cli) continue
    const line = row(cliSynopsis(def), cliHelpText(def))
    if (!isCliFlag(def.cli)) env.push(line)
    else sections.set(def.group, [...(sections.get(def.group) ?? []), line])
  }
  const parts = [`${USAGE}\n\n${command}: ${ABOUT[command]}`]
  for (const [group, lines] of sections) parts.push(`${GROUP_TITLES[group]}:\n${lines.join('\n')}`)
  if (env.length > 0) parts.push(`Environment variables:\n${env.join('\n')}`)
  parts.push(
    `Other:\n${row('-h, --help', `This text; \`${PACKAGER_NAME} verify --help\`, \`${PACKAGER_NAME} run --help\` for theirs.`)}\n${row('--version', 'The version.')}`
  )
  if (command === 'pack') {
    parts.push(`Every problem with the flags and the spec is reported at once, each naming the flag (or the
field of --spec) to fix. Exit status: 0 packaged, 2 invalid input, 1 failure, 130/143 interrupted.`)
  }
  return `${parts.join('\n\n')}\n`
}
