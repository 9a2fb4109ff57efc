/**
 * Never silent, as a property: every file of the Reproducible Execution
 * Environment Specification's list, at the root, in binder/ or in .binder/,
 * and at the root beside a configuration folder, is either used (an install
 * step, the file an ecosystem was installed from, where the version came
 * from, the start script) or named in job.json's environment warnings/notes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SPEC_FILES } from '../../src/core/detect/binder.js'
import { detectEnvironment } from '../../src/core/detect/index.js'
import { environmentManifest } from '../../src/core/render/dockerfile.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
beforeAll(async () => {
  root = await tempDir('jp-silent-')
})
afterAll(async () => {
  await root?.cleanup()
})

/** Plausible content for each file (what a Binder repository would hold). */
const CONTENT: Record<(typeof SPEC_FILES)[number], string> = {
  'environment.yml': 'channels:\n  - conda-forge\ndependencies:\n  - numpy\n',
  Pipfile: '[packages]\nrequests = "*"\n',
  'Pipfile.lock': '{"_meta": {}, "default": {}}\n',
  'requirements.txt': 'numpy==2.0.0\n',
  'setup.py': 'from setuptools import setup\nsetup(name="x")\n',
  'pyproject.toml': '[project]\nname = "x"\nversion = "1"\n',
  'Project.toml': '[deps]\n',
  REQUIRE: 'julia 0.6\nDataFrames\n',
  'install.R': 'install.packages("ggplot2")\n',
  DESCRIPTION: 'Package: x\nVersion: 0.1\n',
  'apt.txt': 'hello\n',
  postBuild: '#!/bin/sh\necho built\n',
  start: '#!/bin/sh\nexec "$@"\n',
  'runtime.txt': 'python-3.10\n',
  'default.nix': 'with import <nixpkgs> {}; hello\n',
  Dockerfile: 'FROM scratch\n'
}

/** `file` named as a whole path: "start" does not match inside "binder/start" or "started", "Pipfile" not inside "Pipfile.lock". */
function mentions(text: string, file: string): boolean {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?<![\\w./-])${escaped}(?![\\w-]|\\.\\w)`).test(text)
}

const PLACES = [
  { name: 'at the root', folder: '' },
  { name: 'in binder/', folder: 'binder/' },
  { name: 'in .binder/', folder: '.binder/' },
  // At the root while a folder holds the configuration: ignored, and named.
  { name: 'at the root beside binder/', folder: '', beside: 'binder/README.md' },
  // Beside a file that wins (Python's requirements.txt, or R's install.R for it): what loses is named.
  { name: 'in binder/ beside requirements.txt', folder: 'binder/', with: 'binder/requirements.txt' },
  { name: 'at the root beside install.R', folder: '', with: 'install.R' }
] as const

describe('never silent: every file of the specification is used or named', () => {
  for (const place of PLACES)
    it(`${place.name}: each of ${SPEC_FILES.length} files, alone`, async () => {
      const silent: string[] = []
      for (const file of SPEC_FILES) {
        const dir = path.join(root.dir, `code-${++n}`)
        const at = `${place.folder}${file}`
        await mkdir(path.dirname(path.join(dir, at)), { recursive: true })
        await writeFile(path.join(dir, at), CONTENT[file])
        if ('with' in place && place.with !== at)
          await writeFile(path.join(dir, place.with), CONTENT[place.with.replace(/^binder\//, '') as (typeof SPEC_FILES)[number]])
        if ('beside' in place && place.beside) {
          await mkdir(path.dirname(path.join(dir, place.beside)), { recursive: true })
          await writeFile(path.join(dir, place.beside), 'configuration\n')
        }
        const env = await detectEnvironment(dir)
        const manifest = environmentManifest(env, env.baseImage, 'detection')
        const used = JSON.stringify([manifest.install, manifest.frozen?.ecosystems, manifest.version_from, manifest.start])
        // The note listing the folder's files does not count: each file must be used or named on its own.
        const named = [...(manifest.warnings ?? []), ...(manifest.notes ?? [])]
          .filter((t) => !/^\.?binder\/ holds the environment files/.test(t))
          .join('\n')
        // A file at the root beside a folder must be named as ignored, never used.
        if ('beside' in place ? !mentions(named, at) || mentions(used, at) : !mentions(used, at) && !mentions(named, at)) silent.push(at)
      }
      expect(silent).toEqual([])
    })
})
