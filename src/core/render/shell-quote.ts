import { shellWord } from './text.js'

/** Quotes any string as one POSIX sh word (the one rule is render/text.ts's shellWord). */
export function shellQuote(value: string): string {
  return shellWord(value)
}
