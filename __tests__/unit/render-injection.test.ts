/**
 * Issue 19, item 5: text from the repository must never add or change a line
 * of the generated Dockerfile or run.sh. Properties, with fast-check, over
 * (1) every field the Dockerfile renderer interpolates, filled with strings
 * that hold line breaks and other control characters, and (2) every parser,
 * fed repository files that carry such strings in the fields it reads. The
 * Dockerfile is parsed back with dockerfile-ast: either rendering throws the
 * typed RenderError naming the file and field, or the instructions are
 * exactly those the structure asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { createRequire } from 'node:module'
import type { Environment, InstallStep } from '../../src/core/detect/index.js'
import { renderDockerfile } from '../../src/core/render/dockerfile.js'
import { renderRunScript } from '../../src/core/render/run-script.js'
import { RenderError } from '../../src/core/render/text.js'
import { shellQuote } from '../../src/core/render/shell-quote.js'
import { detectTree, dockerfileFor } from '../helpers/detect.js'
import { tempDir } from '../helpers/workspace.js'

const require = createRequire(import.meta.url)
const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast')

let root: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  root = await tempDir('jp-render-injection-')
})
afterAll(async () => {
  await root?.cleanup()
})

/** The characters that end or change a line, for Docker's parser or for a reader of the file. */
const BREAKS = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000', '\u001b', '\t', '\u007f']
const breaker = fc.constantFrom(...BREAKS)
/** A string that carries an injected stage and step across line breaks, as issue 19's pyproject.toml did. */
const hostile = fc
  .tuple(fc.string({ maxLength: 12 }), breaker, breaker, fc.string({ maxLength: 12 }), fc.boolean())
  .map(([a, b1, b2, z, slash]) => `${a}${b1}FROM evilbase AS injected${b2}RUN echo INJECTED > pwned${z}${slash ? '\\' : ''}`)
/** Any text at all, line breaks included. */
const anyText = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), hostile)

function keywords(dockerfile: string): string[] {
  return DockerfileParser.parse(dockerfile)
    .getInstructions()
    .map((i) => i.getKeyword())
}

/** Renders, or returns the RenderError (any other error fails the property). */
function renderOrRefuse(render: () => string): string | RenderError {
  try {
    return render()
  } catch (err) {
    if (err instanceof RenderError) {
      expect(err.kind).toBe('unsafe-content')
      expect(err.file).toMatch(/^(Dockerfile|run\.sh)$/)
      expect(err.field).toBeTruthy()
      expect(err.message).toContain(err.field)
      expect(err.message).not.toMatch(/[\n\r]/)
      return err
    }
    throw err
  }
}

describe('the Dockerfile renderer, fed control characters in every field it interpolates', () => {
  const step = (stage: InstallStep['stage']) =>
    fc.record({ from: anyText, stage: fc.constant(stage), copy: fc.array(anyText, { maxLength: 2 }), run: anyText })
  const environment = fc.record({
    reasons: fc.array(anyText, { minLength: 1, maxLength: 3 }),
    env: fc.array(anyText, { maxLength: 3 }),
    baseEnv: fc.array(anyText, { maxLength: 2 }),
    aptPackages: fc.array(anyText, { maxLength: 2 }),
    system: fc.array(step('system'), { maxLength: 2 }),
    before: fc.array(step('before-code'), { maxLength: 2 }),
    after: fc.array(step('after-code'), { maxLength: 2 }),
    baseImage: anyText
  })
  type Shape = typeof environment extends fc.Arbitrary<infer T> ? T : never
  // A name copied before the code keeps its folder as structure: the renderer writes one COPY per folder (binder/
  // beside the root), so the plain stand-in of "a/x" and "a/y" must share a folder too, and the root stay the root.
  const copyName = (name: string, text: (v: string) => string, folders: Map<string, string>): string => {
    const slash = name.lastIndexOf('/')
    if (slash < 0) return text(name)
    const folder = name.slice(0, slash)
    if (!folders.has(folder)) folders.set(folder, folder === '' ? '' : text(folder))
    return `${folders.get(folder)!}/${text(name.slice(slash + 1))}`
  }
  const toEnv = (s: Shape, text: (v: string) => string, folders = new Map<string, string>()): Environment => ({
    dockerfile: 'generated',
    runtime: 'python',
    reasons: s.reasons.map(text),
    env: s.env.map(text),
    baseEnv: s.baseEnv.length > 0 ? s.baseEnv.map(text) : undefined,
    aptPackages: s.aptPackages.map(text),
    install: [...s.system, ...s.before, ...s.after].map((st) => ({
      ...st,
      from: text(st.from),
      copy: st.copy.map((c) => copyName(c, text, folders)),
      run: text(st.run)
    })),
    installs: [],
    floats: [],
    notes: [],
    warnings: [],
    baseImage: text(s.baseImage)
  })
  const render = (env: Environment): string =>
    renderDockerfile({ environment: env, baseImage: 'python:3.12-slim', commit: 'a'.repeat(40), created: '2024-01-02T03:04:05.000Z' })

  it('refuses with a RenderError, or renders exactly the instructions of the same structure with plain values', () => {
    let refused = 0
    fc.assert(
      fc.property(environment, (shape) => {
        let k = 0
        // The same structure with plain, distinct values: the instructions the structure asks for.
        const expected = keywords(render(toEnv(shape, () => `v${++k}`)))
        const out = renderOrRefuse(() => render(toEnv(shape, (v) => v)))
        if (out instanceof RenderError) {
          refused++
          return
        }
        expect(keywords(out)).toEqual(expected)
        expect(keywords(out).filter((kw) => kw === 'FROM')).toHaveLength(1)
      }),
      { numRuns: 300 }
    )
    expect(refused).toBeGreaterThan(0)
  })

  it("refuses issue 19's dependency string at the renderer even if a parser let it through", () => {
    const injected = 'alpha; python_version > "3"\nFROM evilbase AS injected\nRUN echo INJECTED > pwned'
    const env: Environment = {
      dockerfile: 'generated',
      runtime: 'python',
      reasons: ['pyproject.toml'],
      env: [],
      aptPackages: [],
      install: [{ from: 'pyproject.toml', stage: 'before-code', copy: [], run: `python3 -m pip install '${injected}'` }],
      installs: [],
      floats: [],
      notes: [],
      warnings: []
    }
    const out = renderOrRefuse(() => render(env))
    expect(out).toBeInstanceOf(RenderError)
    expect((out as RenderError).field).toBe('the install command from "pyproject.toml"')
    expect((out as RenderError).message).toContain('FROM evilbase AS injected')
  })
})

describe('run.sh, fed control characters', () => {
  it('a command (any text) stays one quoted word: the script is the plain one but for that word', () => {
    const plain = renderRunScript({ command: 'X', dataFiles: ['d.csv'] })
    fc.assert(
      fc.property(anyText, (command) => {
        const script = renderRunScript({ command, dataFiles: ['d.csv'] })
        expect(script.replace(`JOB_COMMAND=${shellQuote(command)}\n`, "JOB_COMMAND='X'\n")).toBe(plain)
      }),
      { numRuns: 200 }
    )
  })

  it('a dataset file name with a control character is refused, naming run.sh and the field', () => {
    fc.assert(
      fc.property(hostile, (name) => {
        const out = renderOrRefuse(() => renderRunScript({ command: 'true', dataFiles: [name] }))
        expect(out).toBeInstanceOf(RenderError)
        expect((out as RenderError).file).toBe('run.sh')
      }),
      { numRuns: 50 }
    )
  })
})

/** A TOML basic string holding `v` (control characters as escapes, as a hostile repository would write them). */
const toml = (v: string): string =>
  `"${[...v].map((c) => (c === '"' || c === '\\' ? `\\${c}` : c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"`
/** JSON (and YAML double-quoted) string. */
const json = (v: string): string => JSON.stringify(v)

/** One repository per parser, with `h` in each field that parser reads and passes on. */
const PARSERS: Record<string, (h: string) => Record<string, string>> = {
  'pyproject.toml dependencies': (h) => ({
    'pyproject.toml': `[project]\nname = "x"\ndependencies = [${toml(`alpha; python_version > "3"${h}`)}, ${toml(h)}]\n`
  }),
  'pyproject.toml requires-python': (h) => ({ 'pyproject.toml': `[project]\nname = "x"\nrequires-python = ${toml(h)}\n`, 'main.py': '' }),
  'requirements.txt': (h) => ({ 'requirements.txt': `requests${h}\n${h}==1\n`, 'main.py': '' }),
  Pipfile: (h) => ({
    Pipfile: `[packages]\n${toml(h)} = ${toml(h)}\n[requires]\npython_version = ${toml(h)}\n`,
    'Pipfile.lock': '{"_meta": {}}\n'
  }),
  poetry: (h) => ({
    'pyproject.toml': `[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = ${toml(h)}\n${toml(h)} = "^2"\n`,
    'poetry.lock': `# This file is automatically @generated by Poetry ${h} and should not be changed by hand.\n`
  }),
  uv: (h) => ({
    'pyproject.toml': `[project]\nname = "x"\nrequires-python = ${toml(h)}\n[tool.uv]\nrequired-version = ${toml(h)}\n`,
    'uv.lock': `version = 1\nrequires-python = ${toml(h)}\n`
  }),
  conda: (h) => ({
    'environment.yml': `name: ${json(h)}\nchannels:\n  - ${json(h)}\ndependencies:\n  - ${json(`python=3.12${h}`)}\n  - pip\n  - pip:\n    - ${json(h)}\n`
  }),
  'conda lock': (h) => ({
    'conda-linux-64.lock': `# platform: linux-64\n@EXPLICIT\nhttps://conda.example/pkgs/python-3.12.0.conda#abc${h}\n`,
    'environment.yml': `dependencies:\n  - ${json(h)}\n`
  }),
  'apt.txt': (h) => ({ 'apt.txt': `curl${h}\n${h}\n`, 'main.sh': '' }),
  'package.json': (h) => ({
    'package.json': JSON.stringify({
      name: h,
      engines: { node: h },
      packageManager: h,
      dependencies: { [h]: h },
      scripts: { install: h, start: h }
    }),
    'package-lock.json': JSON.stringify({ lockfileVersion: 3, name: h })
  }),
  '.nvmrc / .python-version / runtime.txt': (h) => ({ '.nvmrc': h, 'package.json': '{}', '.python-version': h, 'runtime.txt': h }),
  R: (h) => ({
    'renv.lock': JSON.stringify({ R: { Version: h, Repositories: [{ Name: h, URL: h }] }, Packages: {} }),
    DESCRIPTION: `Package: x\nImports: ${h}\n`
  }),
  'R without renv': (h) => ({ DESCRIPTION: `Package: x${h}\nDepends: R (>= ${h})\n`, 'install.R': h }),
  Julia: (h) => ({ 'Project.toml': `name = ${toml(h)}\n[compat]\njulia = ${toml(h)}\n`, 'Manifest.toml': `julia_version = ${toml(h)}\n` })
}

describe('every parser, fed repository files with control characters in the fields it reads', () => {
  for (const [name, tree] of Object.entries(PARSERS)) {
    it(`${name}: the Dockerfile is refused (RenderError) or holds one FROM and nothing injected`, async () => {
      await fc.assert(
        fc.asyncProperty(hostile, async (h) => {
          const env = await detectTree(root.dir, tree(h))
          const out = renderOrRefuse(() => dockerfileFor(env))
          if (out instanceof RenderError) return
          const parsed = DockerfileParser.parse(out)
          expect(parsed.getInstructions().filter((i) => i.getKeyword() === 'FROM')).toHaveLength(1)
          // The injected text may appear in a comment (made printable), never in an instruction.
          for (const ins of parsed.getInstructions()) expect(ins.getTextContent()).not.toMatch(/evilbase|INJECTED/)
          expect(out.split('\n')[0]).toBe(
            '# Generated by job-packager: builds an image that runs this package (run.sh, code/, data/) as-is.'
          )
        }),
        { numRuns: 15 }
      )
    }, 60_000)
  }
})
