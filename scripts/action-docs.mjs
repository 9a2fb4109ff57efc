#!/usr/bin/env node
// Prints the inputs and outputs of action.yml as Markdown tables, so the
// documentation is generated from the one file the runner reads and cannot
// drift from it (a test compares docs/ACTION.md with this output).
//   node scripts/action-docs.mjs                   print the tables
//   node scripts/action-docs.mjs --write FILE      replace the tables in FILE between
//                                                  <!-- action-docs:start --> and <!-- action-docs:end -->
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const START = '<!-- action-docs:start -->'
export const END = '<!-- action-docs:end -->'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Table-cell text: one line, with the characters that would break a Markdown table escaped. */
function cell(text) {
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
}

/** A code span that survives backticks in the value. */
function code(text) {
  const value = String(text)
  const fence = '`'.repeat(Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length)) + 1)
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${cell(value)}${pad}${fence}`
}

export function renderTables(actionYaml) {
  const action = parse(actionYaml)
  const lines = ['### Inputs', '', '| Input | Description | Required | Default |', '| --- | --- | --- | --- |']
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const spec = input ?? {}
    const dflt = spec.default === undefined || spec.default === '' ? '' : code(spec.default)
    lines.push(`| ${code(name)} | ${cell(spec.description ?? '')} | ${spec.required ? 'yes' : 'no'} | ${dflt} |`)
  }
  lines.push('', '### Outputs', '', '| Output | Description |', '| --- | --- |')
  for (const [name, output] of Object.entries(action.outputs ?? {})) {
    lines.push(`| ${code(name)} | ${cell(output?.description ?? '')} |`)
  }
  return `${lines.join('\n')}\n`
}

/** `doc` with the text between the markers replaced by `tables`. */
export function replaceTables(doc, tables) {
  const start = doc.indexOf(START)
  const end = doc.indexOf(END)
  if (start < 0 || end < start) throw new Error(`expected ${START} … ${END} in the document`)
  return `${doc.slice(0, start + START.length)}\n${tables}${doc.slice(end)}`
}

/** The text between the markers, as renderTables would print it. */
export function extractTables(doc) {
  const start = doc.indexOf(START)
  const end = doc.indexOf(END)
  if (start < 0 || end < start) throw new Error(`expected ${START} … ${END} in the document`)
  return doc.slice(start + START.length + 1, end)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tables = renderTables(readFileSync(path.join(root, 'action.yml'), 'utf8'))
  const i = process.argv.indexOf('--write')
  if (i >= 0) {
    const file = process.argv[i + 1]
    if (!file) {
      console.error('usage: node scripts/action-docs.mjs [--write FILE]')
      process.exit(2)
    }
    writeFileSync(file, replaceTables(readFileSync(file, 'utf8'), tables))
  } else {
    process.stdout.write(tables)
  }
}
