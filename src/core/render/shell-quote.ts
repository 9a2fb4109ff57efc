/** Quotes any string as one POSIX sh word: inside single quotes nothing is special but the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
