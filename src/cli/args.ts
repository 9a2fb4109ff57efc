/**
 * The CLI's argument parser, driven by the option registry: every flag, alias
 * and environment variable comes from there, so the CLI cannot accept or
 * document an option the registry does not define.
 *
 * node:util `parseArgs` splits the command line into tokens (`--a=b`,
 * grouped short flags, `--`); this module gives them meaning. It never stops
 * at the first mistake: unknown flags (with a "did you mean"), missing
 * values and repeated flags are all collected as problems, named as the user
 * typed them, so one run reports everything. (commander and yargs stop at the
 * first error and print their own text, which is why they are not used.)
 */
import { parseArgs } from 'node:util'
import { closest, distance } from 'fastest-levenshtein'
import {
  COMMAND_NAMES,
  EVERY_OPTION,
  isCliFlag,
  optionCommands,
  type CliFlag,
  type CommandName,
  type OptionDef,
  type OptionKey,
  type Problem
} from '../core/index.js'

export const COMMANDS = COMMAND_NAMES
export type Command = CommandName

/** A flag's value as given, and the flag as the user wrote it (for messages). */
export interface GivenValue {
  text: string
  /** `--commit` when the user typed the alias, `--commit-hash` otherwise; or `$ENV_VAR`. */
  as: string
}

export interface CliArgs {
  /**
   * The command word as given; `pack` when there is none but there are
   * flags (`job-packager --git-url …`, the form before subcommands existed).
   */
  command?: string
  /** Positionals after the command. */
  operands: string[]
  /**
   * Raw values per option, in the order given; booleans as "true"/"false".
   * A flag that is not repeatable takes its last value, as in most CLIs, so a
   * wrapper script can append an override.
   */
  given: Map<OptionKey, GivenValue[]>
  help: boolean
  version: boolean
  problems: Problem[]
}

interface FlagEntry {
  key: OptionKey
  def: OptionDef<unknown>
  cli: CliFlag
  takesValue: boolean
}

/**
 * Every spelling of every flag (name, aliases, short form) → its registry
 * entries, one per command that has a flag so spelled (`--timeout` is
 * packing's deadline under pack and the job's under run). Whether a flag
 * takes a value is the same for all of them (the registry test checks), so
 * the command line can be split before the command is known.
 */
function flagTable(): Map<string, FlagEntry[]> {
  const table = new Map<string, FlagEntry[]>()
  const put = (name: string, entry: FlagEntry): void => void table.set(name, [...(table.get(name) ?? []), entry])
  for (const [key, def] of EVERY_OPTION) {
    if (!isCliFlag(def.cli)) continue
    const entry: FlagEntry = { key, def, cli: def.cli, takesValue: def.kind.metavar !== undefined }
    for (const name of [def.cli.flag, ...(def.cli.aliases ?? [])]) put(`--${name}`, entry)
    if (def.cli.short) put(`-${def.cli.short}`, entry)
  }
  return table
}

/** The entry of `written` for `command`, if that command has such a flag. */
function entryFor(entries: readonly FlagEntry[], command: CommandName): FlagEntry | undefined {
  return entries.find((e) => optionCommands(e.def).includes(command))
}

const BUILTIN = new Map([
  ['--help', 'help'],
  ['-h', 'help'],
  ['--version', 'version']
])

/** The closest known flag, when it is close enough to be what the user meant. */
export function suggestFlag(written: string, known: readonly string[]): string | undefined {
  const long = known.filter((k) => k.startsWith('--'))
  if (long.length === 0 || !written.startsWith('--')) return undefined
  const best = closest(written, long)
  // Within a third of the word (at least 2 edits), or the start of exactly one flag.
  const near = distance(written, best) <= Math.max(2, Math.floor(written.length / 3))
  const prefixed = long.filter((k) => k.startsWith(written))
  if (near) return best
  return prefixed.length === 1 ? prefixed[0] : undefined
}

const PACKAGER_HELP = (command: CommandName): string => `${command} --help`

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const table = flagTable()
  const out: CliArgs = { operands: [], given: new Map(), help: false, version: false, problems: [] }
  const add = (key: OptionKey, text: string, as: string): void => {
    const list = out.given.get(key) ?? []
    list.push({ text, as })
    out.given.set(key, list)
  }
  const problem = (field: string, what: string, accepted: string): void => {
    out.problems.push({ field, problem: what, accepted })
  }

  const { tokens } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, tokens: true, options: {} })
  /** Argument indexes already used as a flag's value. */
  const consumed = new Set<number>()
  /** Flags in order, resolved once the command is known. */
  const flags: Array<{ written: string; entries: FlagEntry[]; value: string }> = []
  for (const token of tokens) {
    if (consumed.has(token.index)) continue
    if (token.kind === 'option-terminator') continue
    if (token.kind === 'positional') {
      if (out.command === undefined) out.command = token.value
      else out.operands.push(token.value)
      continue
    }
    const written = token.rawName
    const builtin = BUILTIN.get(written)
    if (builtin === 'help') {
      out.help = true
      continue
    }
    if (builtin === 'version') {
      out.version = true
      continue
    }
    const entry = table.get(written)
    // The value: `--flag=value`, else the next argument (even one starting with "-": `--command -x`).
    const takeValue = (): string | undefined => {
      if (token.inlineValue) return token.value
      const next = argv[token.index + 1]
      if (next === undefined) return undefined
      consumed.add(token.index + 1)
      return next
    }
    if (!entry) {
      const suggestion = suggestFlag(written, [...table.keys(), ...BUILTIN.keys()])
      // A typo of a flag that takes a value is followed by that value: don't read it as a command.
      if (suggestion && table.get(suggestion)?.[0]?.takesValue) takeValue()
      problem(
        written,
        suggestion ? `is not a known option; did you mean ${suggestion}?` : 'is not a known option',
        'the options listed by --help'
      )
      continue
    }
    const as = written
    const first = entry[0]!
    if (!first.takesValue) {
      // A boolean: `--flag`, or `--flag=true|false`.
      flags.push({ written: as, entries: entry, value: token.inlineValue ? (token.value ?? '') : 'true' })
      continue
    }
    const value = takeValue()
    if (value === undefined) {
      problem(as, 'needs a value', `${as} ${first.def.kind.metavar ?? 'VALUE'}`)
      continue
    }
    flags.push({ written: as, entries: entry, value })
  }

  // No command word but flags: the form from before subcommands, which is pack.
  if (out.command === undefined && argv.length > 0) out.command = 'pack'
  const command = (COMMANDS as readonly string[]).includes(out.command ?? '') ? (out.command as CommandName) : undefined
  if (command === undefined) return out
  for (const { written, entries, value } of flags) {
    const entry = entryFor(entries, command)
    if (entry) add(entry.key, value, written)
    else {
      const owners = [...new Set(entries.flatMap((e) => optionCommands(e.def)))]
      problem(written, `is an option of ${owners.join(' and ')}, not of ${command}`, `the options listed by ${PACKAGER_HELP(command)}`)
    }
  }

  // Options read from the environment (secrets never go on a command line, where `ps` shows them).
  for (const [key, def] of EVERY_OPTION) {
    if (!optionCommands(def).includes(command)) continue
    if (def.cli && !isCliFlag(def.cli)) {
      const value = env[def.cli.env]
      if (value) add(key, value, `$${def.cli.env}`)
    }
  }
  return out
}
