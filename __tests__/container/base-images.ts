/**
 * The base images the container suite builds on, since no image can be
 * pulled here: a minimal Debian (debootstrap --variant=minbase), and Python
 * and Node images derived from it with Debian's own packages. They stand in
 * for debian:bookworm-slim, python:3.X-slim-bookworm and node:NN-bookworm-slim,
 * and are passed to the builds as `--build-arg BASE_IMAGE=...`.
 *
 * Everything that ties them to this machine is read from the machine when
 * the suite runs, never written into the repository:
 * - the Debian mirror and apt sources come from /etc/apt (debootstrap needs
 *   the mirror; apt.txt installs inside a build need the sources);
 * - outbound HTTPS here goes through a locally added CA, so the extra CA
 *   certificates (/usr/local/share/ca-certificates) are installed into the
 *   image and NODE_EXTRA_CA_CERTS is set, or `npm ci` in a build fails on
 *   TLS. That is the test base image's business: the generated Dockerfile
 *   must not (and does not) do anything of the kind;
 * - npm's registry setting, so `npm ci` in a build asks the same registry.
 *
 * The Node image takes Debian's nodejs but not Debian's npm: that package
 * drags in hundreds of node-* modules (a slow install, a large image, and
 * under vfs storage every build copies all of it), and some of them, such as
 * is-number, are found by Node globally. npm itself comes from the registry
 * (`npm pack npm@NPM_VERSION` on the machine), a single self-contained package.
 *
 * One more image is built only when a case asks for it
 * (ensurePythonToolsImage): the Python image plus Debian's own Poetry and
 * pipenv (`python3-poetry`, `pipenv`) and `python3-venv`, standing in for a
 * base image that already carries those tools. Debian 12's python3-poetry
 * (1.3.2) is packaged without poetry-plugin-export, so it has no `export`
 * command, and Debian 12 has no package of that plugin: that image exercises
 * the generated Dockerfile's `poetry install` branch.
 *
 * The images are kept in the suite's buildah storage under a tag that hashes
 * all of the above plus this file's own text, so a warm run reuses them and
 * any change to the recipe or the machine's settings rebuilds them.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from '../helpers/git-server.js'
import { buildah, buildahEnv, imageExists, STORAGE_ROOT } from './buildah.js'

export interface BaseImages {
  debian: string
  python: string
  node: string
}

const REPOSITORY = 'localhost/job-packager-test'
/** Supports the Node 18 of Debian 12 (^18.17 || >=20.5). */
const NPM_VERSION = '10.9.3'
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
// Debian's slim images leave these out too; under vfs every byte is copied per build.
const TRIM =
  'rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/*'

interface AptSource {
  file: string
  types: string[]
  uris: string[]
  suites: string[]
  components: string[]
  signedBy?: string
}

/** Reads the machine's apt sources (one-line .list and deb822 .sources files), skipping disabled ones. */
export async function readAptSources(): Promise<{ sources: AptSource[]; files: string[] }> {
  const files: string[] = []
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list')
  const dir = '/etc/apt/sources.list.d'
  if (existsSync(dir)) for (const f of (await readdir(dir)).sort()) if (/\.(list|sources)$/.test(f)) files.push(path.join(dir, f))
  const sources: AptSource[] = []
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const fields = new Map<string, string>()
        let last = ''
        for (const line of stanza.split('\n')) {
          if (line.startsWith('#') || line.trim() === '') continue
          if (/^\s/.test(line) && last) fields.set(last, `${fields.get(last)} ${line.trim()}`)
          else {
            const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line)
            if (m) fields.set((last = m[1]!.toLowerCase()), m[2]!)
          }
        }
        if (!fields.has('uris') || fields.get('enabled')?.toLowerCase() === 'no') continue
        const list = (k: string) => (fields.get(k) ?? '').split(/\s+/).filter(Boolean)
        sources.push({
          file,
          types: list('types'),
          uris: list('uris'),
          suites: list('suites'),
          components: list('components'),
          signedBy: fields.get('signed-by')
        })
      }
    } else {
      for (const raw of text.split('\n')) {
        const line = raw.replace(/#.*/, '').trim()
        const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line)
        if (!m) continue
        const signedBy = /signed-by=(\S+)/.exec(m[2] ?? '')?.[1]
        sources.push({ file, types: [m[1]!], uris: [m[3]!], suites: [m[4]!], components: m[5]!.split(/\s+/).filter(Boolean), signedBy })
      }
    }
  }
  return { sources, files }
}

async function codename(): Promise<string> {
  const osRelease = await readFile('/etc/os-release', 'utf8')
  const name = /^VERSION_CODENAME=(\w+)$/m.exec(osRelease)?.[1]
  if (!name) throw new Error('cannot tell the Debian release from /etc/os-release (VERSION_CODENAME)')
  return name
}

/** The extra CA certificates installed on this machine (update-ca-certificates' local folder). */
async function localCaFiles(): Promise<string[]> {
  const dir = '/usr/local/share/ca-certificates'
  if (!existsSync(dir)) return []
  const out: string[] = []
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name)
      if (e.isDirectory()) await walk(full)
      else if (e.name.endsWith('.crt')) out.push(full)
    }
  }
  await walk(dir)
  return out
}

async function npmRegistry(): Promise<string | undefined> {
  const res = await run('npm', ['config', 'get', 'registry'], { env: { ...process.env }, allowFailure: true })
  const value = res.stdout.trim()
  return res.code === 0 && /^https?:\/\/\S+$/.test(value) ? value : undefined
}

type Log = (line: string) => void

/** Builds whatever is missing and returns the three image names. */
export async function ensureBaseImages(log: Log): Promise<BaseImages> {
  const release = await codename()
  const { sources, files: sourceFiles } = await readAptSources()
  const main = sources.find(
    (s) =>
      s.types.includes('deb') &&
      s.suites.includes(release) &&
      s.components.includes('main') &&
      s.uris.some((u) => /^(https?|file):/.test(u))
  )
  if (!main)
    throw new Error(
      `no apt source for "${release} main" in ${sourceFiles.join(', ') || '/etc/apt'}: debootstrap needs the machine's Debian mirror`
    )
  const mirror = main.uris.find((u) => /^(https?|file):/.test(u))!
  const caFiles = await localCaFiles()
  const registry = await npmRegistry()

  const hash = createHash('sha256')
  hash.update(await readFile(fileURLToPath(import.meta.url)))
  hash.update(JSON.stringify({ release, mirror, registry }))
  for (const f of [...sourceFiles, ...caFiles]) hash.update(f).update(await readFile(f))
  const key = hash.digest('hex').slice(0, 16)
  const images: BaseImages = {
    debian: `${REPOSITORY}/debian:${key}`,
    python: `${REPOSITORY}/python:${key}`,
    node: `${REPOSITORY}/node:${key}`
  }

  if (!(await imageExists(images.debian))) {
    const t = Date.now()
    await buildDebian(images.debian, { release, mirror, sourceFiles, sources, caFiles })
    log(`built ${images.debian} in ${Math.round((Date.now() - t) / 1000)} s (debootstrap ${release} from the machine's mirror)`)
  }
  const derived: Array<Promise<void>> = []
  if (!(await imageExists(images.python))) {
    derived.push(
      timed(log, images.python, () =>
        derive(images.debian, images.python, [
          // pip for requirements.txt; Debian marks its Python EXTERNALLY-MANAGED, the official python images do not.
          `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-pip && rm -f /usr/lib/python3*/EXTERNALLY-MANAGED && ${TRIM}`
        ])
      )
    )
  }
  if (!(await imageExists(images.node))) {
    const env = ['NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt']
    if (registry) env.push(`NPM_CONFIG_REGISTRY=${registry}`)
    derived.push(
      timed(log, images.node, async () => {
        const tgz = await packNpm()
        try {
          await derive(
            images.debian,
            images.node,
            [
              `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs && ${TRIM}`,
              'mkdir -p /usr/local/lib/node_modules/npm && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 && rm /tmp/npm.tgz' +
                ' && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && npm --version'
            ],
            env,
            [[tgz, '/tmp/npm.tgz']]
          )
        } finally {
          await rm(path.dirname(tgz), { recursive: true, force: true })
        }
      })
    )
  }
  await Promise.all(derived)
  await pruneOtherTags(key, log)
  return images
}

/**
 * The Python image plus Debian's Poetry and pipenv, built on first use and
 * cached like the others (its tag carries the same hash as the Python image
 * it derives from, so it goes when that one goes).
 */
export async function ensurePythonToolsImage(bases: BaseImages, log: Log): Promise<string> {
  const key = bases.python.slice(bases.python.lastIndexOf(':') + 1)
  const name = `${REPOSITORY}/python-tools:${key}`
  if (!(await imageExists(name)))
    await timed(log, name, () =>
      derive(bases.python, name, [
        // python3-venv: the generated Dockerfile makes a virtual environment (the official images have venv and ensurepip).
        `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-poetry pipenv python3-venv && ${TRIM}`,
        // Fails the image, not a later case, if the packages do not bring the commands.
        'poetry --version && pipenv --version && python3 -m venv /tmp/venv-check && rm -rf /tmp/venv-check'
      ])
    )
  return name
}

async function timed(log: Log, name: string, fn: () => Promise<void>): Promise<void> {
  const t = Date.now()
  await fn()
  log(`built ${name} in ${Math.round((Date.now() - t) / 1000)} s`)
}

async function buildDebian(
  name: string,
  ctx: { release: string; mirror: string; sourceFiles: string[]; sources: AptSource[]; caFiles: string[] }
): Promise<void> {
  const tmp = path.join(STORAGE_ROOT, '..', 'tmp')
  await mkdir(tmp, { recursive: true })
  const rootfs = await mkdtemp(path.join(tmp, 'rootfs-'))
  let ctr: string | undefined
  try {
    await run('debootstrap', ['--variant=minbase', '--include=ca-certificates', ctx.release, rootfs, ctx.mirror], {
      env: { ...buildahEnv(), DEBIAN_FRONTEND: 'noninteractive' },
      timeoutMs: 15 * 60 * 1000
    })
    // apt inside a build uses the machine's sources, not debootstrap's one-line default.
    await rm(path.join(rootfs, 'etc/apt/sources.list'), { force: true })
    for (const f of ctx.sourceFiles) await cp(f, path.join(rootfs, f))
    for (const s of ctx.sources) {
      if (s.signedBy?.startsWith('/') && !existsSync(path.join(rootfs, s.signedBy)) && existsSync(s.signedBy)) {
        await mkdir(path.dirname(path.join(rootfs, s.signedBy)), { recursive: true })
        await cp(s.signedBy, path.join(rootfs, s.signedBy))
      }
    }
    for (const f of ctx.caFiles) {
      await mkdir(path.dirname(path.join(rootfs, f)), { recursive: true })
      await cp(f, path.join(rootfs, f))
    }
    await run('sh', ['-c', `cd "$1" && ${TRIM.replace(/ \//g, ' ./')}`, 'sh', rootfs])
    ctr = (await buildah(['from', 'scratch'])).stdout.trim()
    const mnt = (await buildah(['mount', ctr])).stdout.trim()
    // Buildah 1.28 has no `import`: copy the tree into a scratch container instead.
    await run('cp', ['-a', `${rootfs}/.`, `${mnt}/`])
    await buildah(['umount', ctr])
    await buildah(['config', '--env', PATH_ENV, '--env', 'LANG=C.UTF-8', '--cmd', '["/bin/bash"]', ctr])
    await buildah(['run', ctr, '--', 'update-ca-certificates'])
    await buildah(['commit', '--rm', '--quiet', ctr, name])
    ctr = undefined
  } finally {
    if (ctr) await buildah(['rm', ctr], { allowFailure: true })
    await rm(rootfs, { recursive: true, force: true })
  }
}

/** npm's own package from the registry the machine's npm is configured with. */
async function packNpm(): Promise<string> {
  await mkdir(path.join(STORAGE_ROOT, '..', 'tmp'), { recursive: true })
  const dir = await mkdtemp(path.join(STORAGE_ROOT, '..', 'tmp', 'npm-'))
  const res = await run('npm', ['pack', `npm@${NPM_VERSION}`, '--pack-destination', dir, '--silent'], { cwd: dir, env: { ...process.env } })
  return path.join(dir, res.stdout.trim().split('\n').pop()!)
}

async function derive(
  from: string,
  name: string,
  commands: string[],
  env: string[] = [],
  copies: Array<[string, string]> = []
): Promise<void> {
  const ctr = (await buildah(['from', '--pull=never', from])).stdout.trim()
  try {
    for (const [src, dest] of copies) await buildah(['copy', ctr, src, dest])
    for (const c of commands) await buildah(['run', ctr, '--', 'sh', '-c', c])
    if (env.length) await buildah(['config', ...env.flatMap((e) => ['--env', e]), ctr])
    await buildah(['commit', '--rm', '--quiet', ctr, name])
  } catch (err) {
    await buildah(['rm', ctr], { allowFailure: true })
    throw err
  }
}

/** Drops base images of earlier recipes or machine settings, so the store does not grow run after run. */
async function pruneOtherTags(key: string, log: Log): Promise<void> {
  const res = await buildah(['images', '--format', '{{.Name}}:{{.Tag}}'], { allowFailure: true })
  for (const ref of res.stdout.split('\n').map((l) => l.trim())) {
    if (ref.startsWith(`${REPOSITORY}/`) && !ref.endsWith(`:${key}`)) {
      await buildah(['rmi', '--force', ref], { allowFailure: true })
      log(`removed the outdated base image ${ref}`)
    }
  }
}

/** True when the tools the suite needs are installed. */
export async function missingTools(): Promise<string[]> {
  const missing: string[] = []
  for (const tool of ['buildah', 'debootstrap']) {
    const found = await run('sh', ['-c', `command -v ${tool}`], {
      allowFailure: true,
      env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` }
    })
    if (found.code !== 0) missing.push(tool)
  }
  if (process.getuid?.() !== 0) missing.push('root (debootstrap and buildah with vfs storage run as root)')
  return missing
}
