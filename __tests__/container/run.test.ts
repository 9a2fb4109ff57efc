/**
 * `job-packager run` with buildah, for real: packages made by packJob from
 * real repositories are verified, built from their generated Dockerfiles
 * and run in containers, as the image's non-root user, without a network;
 * their output is captured. The timeout stops the container's job and the
 * output limit cuts what it wrote.
 *
 * No image can be pulled here, so each build gets `BASE_IMAGE=` one of the
 * suite's base images (base-images.ts) as a build argument, the one
 * addition to what a user types. buildah uses the suite's own storage
 * (CONTAINERS_STORAGE_CONF) and vfs, set in this process's environment,
 * which runPackage hands on to buildah. BUILDAH_ISOLATION is left unset:
 * the packages are untrusted (no --trust-package), so run builds and runs
 * them under OCI isolation with runc (no build here needs the host's
 * loopback); chroot isolation would be refused (sandbox.test.ts).
 *
 * Needs root, buildah and debootstrap: `npm run test:container`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { runPackage, silentLogger, type PackResult, type RunOptions } from '../../src/core/index.js'
import { makePackage } from '../helpers/package.js'
import { tempDir } from '../helpers/workspace.js'
import { ensureBaseImages, missingTools, type BaseImages } from './base-images.js'
import { prepareState, removeImage, RUN_ROOT, STORAGE_ROOT } from './buildah.js'

const log = (line: string): void => void process.stderr.write(`[container] ${line}\n`)

let root: { dir: string; cleanup: () => Promise<void> }
let bases: BaseImages
const built: string[] = []
let n = 0
const saved = { ...process.env }

beforeAll(
  async () => {
    const missing = await missingTools()
    if (missing.length) throw new Error(`the container suite needs ${missing.join(', ')} (apt-get install -y buildah debootstrap, as root)`)
    prepareState()
    delete process.env.BUILDAH_ISOLATION
    bases = await ensureBaseImages(log)
    root = await tempDir('jp-container-run-')
    const conf = path.join(root.dir, 'storage.conf')
    writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${STORAGE_ROOT}"\nrunroot = "${RUN_ROOT}"\n`)
    mkdirSync(path.join(STORAGE_ROOT, '..', 'tmp'), { recursive: true })
    Object.assign(process.env, {
      CONTAINERS_STORAGE_CONF: conf,
      STORAGE_DRIVER: 'vfs',
      TMPDIR: path.join(STORAGE_ROOT, '..', 'tmp'),
      PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`
    })
  },
  30 * 60 * 1000
)

afterAll(async () => {
  for (const k of ['CONTAINERS_STORAGE_CONF', 'STORAGE_DRIVER', 'BUILDAH_ISOLATION', 'TMPDIR', 'PATH']) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  for (const tag of built) await removeImage(tag)
  await root?.cleanup()
})

function options(base: string, over: Partial<RunOptions> = {}): RunOptions {
  return {
    engine: 'buildah',
    timeoutMs: 120_000,
    network: 'none',
    resultsDir: path.join(root.dir, `results-${++n}`),
    maxOutputBytes: 64 * 1024 * 1024,
    maxLogBytes: 1024 * 1024,
    buildArgs: [`BASE_IMAGE=${base}`],
    ...over
  }
}

async function runIt(pkg: PackResult, opts: RunOptions) {
  const r = await runPackage(pkg.archivePath, opts, silentLogger)
  if (r.imageTag) built.push(r.imageTag)
  return r
}

describe('buildah', () => {
  it('builds and runs a Python job as the non-root user, without a network, and captures its output', async () => {
    const pkg = await makePackage(
      root.dir,
      {
        'main.py': [
          'import csv, os, socket',
          'rows = list(csv.DictReader(open(os.environ["DATA_FILE"]))) if "DATA_FILE" in os.environ else []',
          'print("uid", os.getuid())',
          's = socket.socket()',
          's.settimeout(3)',
          'print("network", s.connect_ex(("1.1.1.1", 80)) != 0 and "none" or "reachable")',
          'open(os.path.join(os.environ["OUTPUT_DIR"], "report.txt"), "w").write("rows=%d\\n" % len(rows))',
          ''
        ].join('\n')
      },
      'python3 main.py'
    )
    const r = await runIt(pkg, options(bases.python))
    expect(r).toMatchObject({ exitCode: 0, engine: { name: 'buildah' }, user: '10001:10001' })
    expect(r.imageId).toMatch(/^(sha256:)?[0-9a-f]{64}$/)
    expect(r.imageTag).toBe(`localhost/job-packager/${pkg.jobId}:${pkg.contentDigest.slice(7, 19)}`)
    expect(r.stdoutTail).toContain('uid 10001\n')
    expect(r.stdoutTail).toContain('network none\n')
    expect(await readFile(path.join(r.resultDir, 'output', 'report.txt'), 'utf8')).toBe('rows=0\n')
    const result = JSON.parse(await readFile(path.join(r.resultDir, 'result.json'), 'utf8')) as {
      image: { id: string; build_args: string[] }
      limits: { not_enforced: string[] }
    }
    expect(result.image.id).toBe(r.imageId)
    expect(result.image.build_args).toEqual([`BASE_IMAGE=${bases.python}`])
    expect(result.limits.not_enforced).toEqual([])
  })

  it('a job packaged on a CUDA base: the Dockerfile makes Python a virtual environment from apt, and the run says no GPU was given', async () => {
    // No CUDA image can be had here: Debian stands in for it (BASE_IMAGE), which proves the steps on top of it — Python
    // from apt into /opt/python, first on PATH — not CUDA itself.
    const pkg = await makePackage(
      root.dir,
      { 'main.py': 'import sys\nprint("prefix", sys.prefix)\n', 'requirements.txt': '' },
      'python3 main.py',
      { options: { gpu: 'cuda', pinBaseImage: 'off' } }
    )
    expect(pkg.manifest.environment?.gpu).toMatchObject({ requested: 'cuda', selected: true })
    const r = await runIt(pkg, options(bases.debian, { network: 'default' }))
    expect(r.exitCode).toBe(0)
    expect(r.stdoutTail).toBe('prefix /opt/python\n')
    expect(r.warnings.join('\n')).toMatch(
      /This job was packaged on a CUDA base .*no GPU was asked for: the job sees none\. To give it one: --gpus all/
    )
  })

  it('builds and runs a Node job; memory and CPU limits it cannot enforce are reported', async () => {
    const pkg = await makePackage(
      root.dir,
      {
        'package.json': JSON.stringify({ name: 'node-job', version: '1.0.0', private: true }, null, 2),
        'index.js': [
          "const fs = require('fs')",
          "const path = require('path')",
          "console.log('node', process.version, 'uid', process.getuid())",
          "fs.writeFileSync(path.join(process.env.OUTPUT_DIR, 'out.json'), JSON.stringify({ sum: [1, 2, 3].reduce((a, b) => a + b) }))",
          ''
        ].join('\n')
      },
      'node index.js'
    )
    const r = await runIt(pkg, options(bases.node, { memory: '256m', cpus: 1 }))
    expect(r.exitCode).toBe(0)
    expect(r.stdoutTail).toMatch(/node v\d+\.\d+\.\d+ uid 10001/)
    expect(JSON.parse(await readFile(path.join(r.resultDir, 'output', 'out.json'), 'utf8'))).toEqual({ sum: 6 })
    expect(r.warnings.join('\n')).toMatch(/The buildah engine cannot enforce memory 256m, cpus 1/)
  })

  it('stops a containerised job at the timeout, and cuts output past the limit', async () => {
    const pkg = await makePackage(
      root.dir,
      {
        'job.sh': [
          'printf keep > "$OUTPUT_DIR/a.txt"',
          'case "$(cat mode)" in big) head -c 4194304 /dev/zero > "$OUTPUT_DIR/b.bin" ;; esac',
          'echo started',
          'sleep 300',
          ''
        ].join('\n'),
        mode: 'big\n'
      },
      'sh job.sh'
    )
    const slow = await runIt(pkg, options(bases.debian, { timeoutMs: 8000 }))
    expect(slow).toMatchObject({ stopped: 'timeout', timedOut: true })
    expect(slow.stdoutTail).toBe('started\n')
    const capped = await runIt(pkg, options(bases.debian, { maxOutputBytes: 1024 * 1024 }))
    expect(capped.stopped).toBe('output-limit')
    expect(capped.truncated.output).toBe(true)
    expect(await readFile(path.join(capped.resultDir, 'output', 'a.txt'), 'utf8')).toBe('keep')
    const result = JSON.parse(await readFile(path.join(capped.resultDir, 'result.json'), 'utf8')) as {
      output: { omitted: Array<{ path: string }> }
    }
    expect(result.output.omitted.map((o) => o.path)).toEqual(['b.bin'])
  })
})
