/**
 * Generates every file (or part of a file) that restates the option registry,
 * so none of them can drift from it:
 *   action.yml                        inputs (registry) and outputs (src/action/outputs.ts)
 *   run/action.yml                    the run sub-action's: inputs (registry, the `run` command's) and outputs
 *                                     (src/action-run/outputs.ts)
 *   README.md, docs/ACTION.md         the Action's inputs/outputs tables (docs/ACTION.md: the sub-action's too)
 *   README.md                         the CLI's options tables (pack; verify and run) and the limits table
 *
 *   npm run docs            rewrite them
 *   npm run docs -- --check fail if any differs (CI; a jest test checks the same)
 *
 * Tables live between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers;
 * the text around them is the docs' own.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderActionYml, actionDefault, actionDescription, actionInputs, type ActionFile } from '../src/action/action-yml.js'
import { ACTION_OUTPUTS } from '../src/action/outputs.js'
import { RUN_ACTION_OUTPUTS } from '../src/action-run/outputs.js'
import { cliDefault, cliHelpText, cliSynopsis } from '../src/cli/help.js'
import { ALL_OPTIONS, commandOptions, GROUP_TITLES, isCliFlag, type OptionGroup } from '../src/core/index.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Table-cell text: one line, with the characters that would break a Markdown table escaped. */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
}

/** A code span that survives backticks in the value. */
function code(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length)) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${cell(text)}${pad}${fence}`
}

/** The inputs and outputs tables of one action.yml (the packaging Action's, or the run sub-action's). */
export function actionTables(file: ActionFile = 'pack'): string {
  const lines = ['### Inputs', '', '| Input | Description | Default |', '| --- | --- | --- |']
  for (const { def, input } of actionInputs(file)) {
    const dflt = actionDefault(def, file)
    lines.push(`| ${code(input.input)} | ${cell(actionDescription(def, file))} | ${dflt === undefined || dflt === '' ? '' : code(dflt)} |`)
  }
  lines.push('', '### Outputs', '', '| Output | Description |', '| --- | --- |')
  const outputs = file === 'pack' ? ACTION_OUTPUTS : RUN_ACTION_OUTPUTS
  for (const [name, description] of Object.entries(outputs)) lines.push(`| ${code(name)} | ${cell(description)} |`)
  return `${lines.join('\n')}\n`
}

/** The CLI's flags of `pack` (default), or of the entries given (verify and run: commandOptions). */
export function cliTable(entries = ALL_OPTIONS): string {
  const lines: string[] = []
  let group: OptionGroup | undefined
  for (const [, def] of entries) {
    if (!def.cli) continue
    if (def.group !== group) {
      group = def.group
      lines.push('', `| ${GROUP_TITLES[group]} | |`, '| --- | --- |')
    }
    lines.push(`| ${code(cliSynopsis(def))} | ${cell(cliHelpText(def))} |`)
  }
  return `${lines.join('\n').trimStart()}\n`
}

/** The limits, with both shells' names: the CLI flag and the Action input. */
export function limitsTable(): string {
  const lines = ['| Limit | Default | CLI flag | Action input |', '| --- | --- | --- | --- |']
  for (const [, def] of ALL_OPTIONS) {
    if (def.group !== 'limits') continue
    const flag = isCliFlag(def.cli) ? code(`--${def.cli.flag}`) : ''
    const input = def.action ? code(def.action.input) : ''
    lines.push(`| ${cell(def.help)} | ${code(cliDefault(def) ?? '')} | ${flag} | ${input} |`)
  }
  return `${lines.join('\n')}\n`
}

function replaceBetween(doc: string, name: string, content: string, file: string): string {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const i = doc.indexOf(start)
  const j = doc.indexOf(end)
  if (i < 0 || j < i) throw new Error(`${file}: expected ${start} … ${end}`)
  return `${doc.slice(0, i + start.length)}\n${content}${doc.slice(j)}`
}

/** Every generated file, as it should be: path (relative to the repository) → content. */
export function renderAll(read: (file: string) => string = (f) => readFileSync(path.join(repoRoot, f), 'utf8')): Map<string, string> {
  const out = new Map<string, string>()
  out.set('action.yml', renderActionYml())
  out.set('run/action.yml', renderActionYml('run'))
  let readme = read('README.md')
  readme = replaceBetween(readme, 'action-docs', actionTables(), 'README.md')
  readme = replaceBetween(readme, 'cli-docs', cliTable(), 'README.md')
  readme = replaceBetween(readme, 'limits', limitsTable(), 'README.md')
  readme = replaceBetween(readme, 'cli-run-docs', cliTable(commandOptions('run')), 'README.md')
  out.set('README.md', readme)
  let actionDoc = replaceBetween(read('docs/ACTION.md'), 'action-docs', actionTables(), 'docs/ACTION.md')
  actionDoc = replaceBetween(actionDoc, 'run-action-docs', actionTables('run'), 'docs/ACTION.md')
  out.set('docs/ACTION.md', actionDoc)
  return out
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  const stale: string[] = []
  for (const [file, content] of renderAll()) {
    const full = path.join(repoRoot, file)
    if (existsSync(full) && readFileSync(full, 'utf8') === content) continue
    stale.push(file)
    if (!check) {
      mkdirSync(path.dirname(full), { recursive: true })
      writeFileSync(full, content)
    }
  }
  if (check && stale.length > 0) {
    console.error(`Out of date with the option registry: ${stale.join(', ')}. Run 'npm run docs' and commit.`)
    process.exit(1)
  }
  console.log(stale.length === 0 ? 'Generated docs are up to date.' : `Rewrote ${stale.join(', ')}.`)
}
