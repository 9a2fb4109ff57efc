/** How the CLI names an option in a message: its flag, or how to set it (`--allow-protocols https,http`). */
import { isCliFlag, optionDef, type OptionNamer } from '../core/index.js'

export const cliNamer: OptionNamer = (key, value) => {
  const def = optionDef(key)
  if (!def?.cli) return key
  if (!isCliFlag(def.cli)) return `$${def.cli.env}`
  const flag = `--${def.cli.flag}`
  if (value === undefined) return flag
  if (!def.kind.metavar) return value === 'true' ? flag : `${flag}=${value}`
  return `${flag} ${value}`
}
