#!/usr/bin/env node
/** The CLI's entry point: only calls run(). */
import { run } from './main.js'

await run(process.argv.slice(2))
