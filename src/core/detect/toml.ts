/**
 * Reads pyproject.toml with smol-toml (a complete TOML 1.0 parser) and keeps
 * only what detection needs: which tables exist (`[project]`,
 * `[build-system]`, `[tool.poetry.dependencies]`, dotted keys and inline
 * tables alike) and the string values in them. A file that does not parse
 * gives undefined, and detection says so instead of guessing.
 */
import { parse } from 'smol-toml'

export interface TomlSummary {
  /** Dotted names of every table, e.g. "project", "tool.poetry". */
  tables: Set<string>
  /** String values by full dotted key, e.g. "project.requires-python". */
  strings: Map<string, string>
}

export function readTomlSummary(text: string): TomlSummary | undefined {
  let doc: Record<string, unknown>
  try {
    doc = parse(text)
  } catch {
    return undefined
  }
  const summary: TomlSummary = { tables: new Set(), strings: new Map() }
  const visit = (table: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(table)) {
      const name = prefix ? `${prefix}.${key}` : key
      if (typeof value === 'string') summary.strings.set(name, value)
      else if (isTable(value)) {
        summary.tables.add(name)
        visit(value, name)
      }
    }
  }
  visit(doc, '')
  return summary
}

/** A table, not an array or a date (smol-toml returns TomlDate objects for dates). */
function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

/** The whole document, or undefined when it does not parse. */
export function parseToml(text: string): Record<string, unknown> | undefined {
  try {
    return parse(text)
  } catch {
    return undefined
  }
}
