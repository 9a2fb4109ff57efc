/**
 * A Python package index on loopback, since the public one cannot be
 * reached here: PEP 503 "simple" pages (`{prefix}/simple/`, one page per
 * project, each link carrying the file's `#sha256=`) and the files
 * themselves (`{prefix}/files/NAME`), served by the suite's data server.
 * pip, Poetry and pipenv all read this format. Each index has its own
 * prefix, so several can share one server without one case's files
 * showing in another's pages.
 *
 * `makeWheel` writes small pure-Python wheels with the machine's python3
 * (zipfile, fixed timestamps, no compression), so the same name and version
 * always give the same bytes and so the same hash.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { serveBuffer, type DataServer } from '../helpers/data-server.js'
import { run } from '../helpers/git-server.js'

export interface Wheel {
  /** The project name as written (e.g. jp-fixture-locked). */
  project: string
  fileName: string
  bytes: Buffer
  sha256: string
}

export interface WheelIndex {
  /** The index URL to give pip (`--index-url`), Poetry or pipenv (a source's `url`). */
  url: string
  /** Puts a wheel into the index (its project page is rewritten). */
  add(wheel: Wheel): void
  /** The URL path a wheel's file is served at, for `data.hits()`. */
  filePath(wheel: Wheel): string
}

export function serveWheelIndex(data: DataServer, prefix = ''): WheelIndex {
  const projects = new Map<string, Wheel[]>()
  const html = (body: string) => serveBuffer(`<!DOCTYPE html><html><body>\n${body}</body></html>\n`, { contentType: 'text/html' })
  const normalized = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-')
  const filePath = (wheel: Wheel) => `${prefix}/files/${wheel.fileName}`
  const publish = () => {
    data.route(`${prefix}/simple/`, html([...projects.keys()].map((p) => `<a href="${p}/">${p}</a>\n`).join('')))
    for (const [project, wheels] of projects)
      data.route(
        `${prefix}/simple/${project}/`,
        html(wheels.map((w) => `<a href="../../files/${w.fileName}#sha256=${w.sha256}">${w.fileName}</a>\n`).join(''))
      )
  }
  publish()
  return {
    url: data.url(`${prefix}/simple/`),
    add(wheel) {
      const project = normalized(wheel.project)
      projects.set(project, [...(projects.get(project) ?? []).filter((w) => w.fileName !== wheel.fileName), wheel])
      data.route(filePath(wheel), serveBuffer(wheel.bytes, { contentType: 'application/octet-stream' }))
      publish()
    },
    filePath
  }
}

/**
 * A pure-Python wheel of `project` at `version` whose module (the project
 * name with `_`) holds `VERSION = "<version>"`, depending on `requires`.
 */
export async function makeWheel(dir: string, project: string, version: string, requires: string[] = []): Promise<Wheel> {
  await mkdir(dir, { recursive: true })
  const module = project.replace(/-/g, '_')
  const fileName = `${module}-${version}-py3-none-any.whl`
  const out = path.join(dir, fileName)
  const metadata = [
    `Metadata-Version: 2.1`,
    `Name: ${project}`,
    `Version: ${version}`,
    ...requires.map((r) => `Requires-Dist: ${r}`),
    ''
  ].join('\n')
  const script = [
    'import base64, hashlib, json, sys, zipfile',
    'out, module, version, metadata = sys.argv[1:5]',
    'info = f"{module}-{version}.dist-info"',
    'files = {',
    '  f"{module}/__init__.py": f"VERSION = {json.dumps(version)}\\n".encode(),',
    '  f"{info}/METADATA": metadata.encode(),',
    '  f"{info}/WHEEL": b"Wheel-Version: 1.0\\nGenerator: job-packager-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",',
    '}',
    'def digest(b): return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()',
    'record = "".join(f"{n},{digest(b)},{len(b)}\\n" for n, b in files.items()) + f"{info}/RECORD,,\\n"',
    'files[f"{info}/RECORD"] = record.encode()',
    'with zipfile.ZipFile(out, "w") as z:',
    '    for n, b in files.items():',
    '        z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 2, 3, 4, 5)), b)',
    ''
  ].join('\n')
  await run('python3', ['-c', script, out, module, version, metadata], { env: { PATH: process.env.PATH } })
  const bytes = await readFile(out)
  return { project, fileName, bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
}
