/** The option registry and what is derived from it in the core. */
export * from './registry.js'
export * from './kinds.js'
export * from './names.js'
export * from './options.js'
