/**
 * How an option is named in a message. The core never knows which shell
 * called it, so it asks the caller's namer: the CLI answers with flags
 * (`--max-checkout-bytes`, `--allow-protocols https,http`), the Action with
 * inputs (`max-checkout-bytes`, `allow-protocols: https,http`), and a library
 * caller gets the PackOptions key.
 *
 * With a value, the answer is how to *set* the option to it, so a refusal can
 * say exactly what would allow the thing ("to allow it: --allow-private-network").
 */
import type { OptionKey } from './registry.js'

export type OptionNamer = (key: OptionKey, value?: string) => string

export const defaultNamer: OptionNamer = (key, value) => (value === undefined ? key : `${key}: ${value}`)
