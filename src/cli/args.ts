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
import { ALL_OPTIONS, isCliFlag, type CliFlag, type OptionDef, type OptionKey, type Problem } from '../core/index.js'

export const COMMANDS = ['pack'] as const
export type Command = (typeof COMMANDS)[number]

/** A flag's value as given, and the flag as the user wrote it (for messages). */
export interface GivenValue {
  text: string
  /** `--commit` when the user typed the alias, `--commit-hash` otherwise; or `$ENV_VAR`. */
  as: string
}

export interface CliArgs {
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

/** Every spelling of every flag (name, aliases, short form) → its registry entry. */
function flagTable(): Map<string, FlagEntry> {
  const table = new Map<string, FlagEntry>()
  for (const [key, def] of ALL_OPTIONS) {
    if (!isCliFlag(def.cli)) continue
    const entry: FlagEntry = { key, def, cli: def.cli, takesValue: def.kind.metavar !== undefined }
    for (const name of [def.cli.flag, ...(def.cli.aliases ?? [])]) table.set(`--${name}`, entry)
    if (def.cli.short) table.set(`-${def.cli.short}`, entry)
  }
  return table
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
      if (suggestion && table.get(suggestion)?.takesValue) takeValue()
      problem(
        written,
        suggestion ? `is not a known option; did you mean ${suggestion}?` : 'is not a known option',
        'the options listed by --help'
      )
      continue
    }
    const as = written
    if (!entry.takesValue) {
      // A boolean: `--flag`, or `--flag=true|false`.
      add(entry.key, token.inlineValue ? (token.value ?? '') : 'true', as)
      continue
    }
    const value = takeValue()
    if (value === undefined) {
      problem(as, 'needs a value', `${as} ${entry.def.kind.metavar ?? 'VALUE'}`)
      continue
    }
    add(entry.key, value, as)
  }

  // Options read from the environment (secrets never go on a command line, where `ps` shows them).
  for (const [key, def] of ALL_OPTIONS) {
    if (def.cli && !isCliFlag(def.cli)) {
      const value = env[def.cli.env]
      if (value) add(key, value, `$${def.cli.env}`)
    }
  }
  return out
}
