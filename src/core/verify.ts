/**
 * Verifies a package — an archive from `pack`, or its unpacked job folder —
 * before anything in it is trusted, and (for `run`) unpacks it safely.
 *
 * What is checked, in this order, so that the first failure names the most
 * precise path it can:
 *
 *   archive   its bytes' sha256, when the caller expects one; every entry
 *             against the packer's rules (archive/read-archive.ts): one top
 *             folder, no absolute path or `..`, no hard link or device, no
 *             symlink out of the tree
 *   job.json  parses, and is byte for byte what pack writes for its values
 *             (no field added, removed, reordered or reformatted); its
 *             job_id is the top folder's name
 *   layout    run.sh, and Dockerfile + .dockerignore when job.json says they
 *             were generated, exist; nothing else at the top besides code/
 *             and data/
 *   data/     exactly the datasets job.json lists, each of its size and sha256
 *   run.sh    is what pack renders for job.json's command and datasets
 *   files     every file and symlink against files.sha256 (each one's mode
 *             and sha256, written by pack), whose lines must make job.json's
 *             content digest: a changed, added or missing file is named
 *   digest    the content digest recomputed over every file and symlink
 *             (archive/content-digest.ts) equals job.json's, and so does the
 *             number of files
 *
 * The content digest covers every file except job.json and files.sha256,
 * which are tied to the rest by the checks above. (A package packed before
 * files.sha256 existed is checked by the digest alone, which cannot name the
 * changed file.) Only the archive's sha256 (the Action's archive-sha256
 * output, or pack's) also covers job.json's purely descriptive fields
 * (source URL, commit, environment notes).
 *
 * An archive is refused before it unpacks past max-package-bytes or
 * max-package-entries, or past the free space where it is unpacked.
 */
import { lstat, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { contentDigest, listedDigest } from './archive/content-digest.js'
import { compareFileList, describeDifference, FILE_LIST, parseFileList } from './archive/file-list.js'
import { readArchive } from './archive/read-archive.js'
import { walkTree, type TreeEntry } from './archive/walk.js'
import { SpecError, VerificationError } from './errors.js'
import { RUN_OPTIONS } from './options/registry.js'
import type { Logger } from './logger.js'
import { buildManifest, renderManifest, type Manifest } from './render/manifest.js'
import { BUILD_FILES } from './render/dockerfile.js'
import { renderRunScript } from './render/run-script.js'
import { checkProvenance, provenancePath } from './provenance.js'
import type { VerifyOptions, VerifyResult } from './run/types.js'
import { parseJobId } from './spec.js'
import { PACKAGER_VERSION } from './../version.js'

/** job.json and run.sh are read whole; pack writes them far smaller than this. */
const MAX_TEXT_FILE = 4 * 1024 * 1024
/** files.sha256: about 80 bytes plus the path per file; room for the checkout limit's 200,000 files with long paths. */
const MAX_FILE_LIST = 128 * 1024 * 1024

export interface InspectOptions extends VerifyOptions {
  /** Unpack an archive into this folder (as `{dest}/{job_id}/`). */
  dest?: string
}

export interface InspectedPackage {
  result: VerifyResult
  /** The package's top folder on disk: the unpacked copy, or the folder given. */
  root?: string
}

export async function verifyPackage(source: string, options: VerifyOptions, logger: Logger): Promise<VerifyResult> {
  return (await inspectPackage(source, options, logger)).result
}

/** verifyPackage, and for `run` the unpacked tree (an archive is unpacked into `dest`; a folder is used where it is). */
export async function inspectPackage(source: string, options: InspectOptions, logger: Logger): Promise<InspectedPackage> {
  const abs = path.resolve(source)
  const st = await stat(abs).catch(() => undefined)
  if (!st || (!st.isFile() && !st.isDirectory())) {
    throw new SpecError(
      'package',
      `${JSON.stringify(source)} ${st ? 'is neither a file nor a folder' : 'does not exist'}`,
      'a package archive ({job_id}.tar.gz) or an unpacked job folder'
    )
  }
  if (st.isDirectory() && options.expectedSha256 !== undefined) {
    throw new SpecError(
      'expectedSha256',
      `applies to an archive, but ${JSON.stringify(source)} is a folder`,
      "the archive's path, or no sha256 for a folder"
    )
  }
  let top: string
  let entries: TreeEntry[]
  let archiveSha256: string | undefined
  let root: string | undefined
  let read: (rel: string) => Promise<Buffer | undefined>
  if (st.isFile()) {
    logger.info(`Verifying ${abs}${options.dest ? ' and unpacking it' : ''}`)
    const tree = await readArchive(abs, {
      dest: options.dest,
      keep: new Map([
        ['job.json', MAX_TEXT_FILE],
        ['run.sh', MAX_TEXT_FILE],
        [FILE_LIST, MAX_FILE_LIST]
      ]),
      limits: {
        // The registry's defaults, for library callers that leave the limits out.
        maxBytes: options.maxPackageBytes ?? RUN_OPTIONS.maxPackageBytes.default,
        maxEntries: options.maxPackageEntries ?? RUN_OPTIONS.maxPackageEntries.default,
        names: { maxBytes: 'max-package-bytes', maxEntries: 'max-package-entries' }
      },
      signal: options.signal
    })
    if (options.expectedSha256 !== undefined && tree.sha256 !== options.expectedSha256) {
      throw new VerificationError(
        path.basename(abs),
        `${path.basename(abs)} has sha256 ${tree.sha256}, not the expected ${options.expectedSha256}: it is not the archive that was packed (or was changed since).`
      )
    }
    top = tree.top
    entries = tree.entries
    archiveSha256 = tree.sha256
    root = options.dest ? path.join(options.dest, tree.top) : undefined
    read = (rel) => Promise.resolve(tree.kept.get(rel))
  } else {
    logger.info(`Verifying the job folder ${abs}`)
    top = path.basename(abs)
    entries = await walkTree(abs, { readOnly: true, signal: options.signal })
    root = abs
    read = async (rel) => {
      const file = path.join(abs, rel)
      const s = await lstat(file).catch(() => undefined)
      return s?.isFile() && s.size <= (rel === FILE_LIST ? MAX_FILE_LIST : MAX_TEXT_FILE) ? readFile(file) : undefined
    }
  }
  const manifest = await checkTree(top, entries, read, st.isFile(), logger)
  const statement = await checkStatement(abs, st.isFile(), options.statement, manifest, archiveSha256, logger)
  const result: VerifyResult = {
    jobId: manifest.job_id,
    source: abs,
    sourceKind: st.isFile() ? 'archive' : 'directory',
    archiveSha256,
    archiveSha256Checked: options.expectedSha256 !== undefined,
    contentDigest: manifest.content_digest,
    files: manifest.files,
    manifest,
    ...(statement ? { statement } : {})
  }
  logger.info(
    `Verified ${manifest.job_id}: ${manifest.files} files match content digest ${manifest.content_digest}${
      archiveSha256 ? `; archive sha256 ${archiveSha256}${options.expectedSha256 ? ' (as expected)' : ' (no expected value given)'}` : ''
    }`
  )
  return { result, root }
}

/**
 * The provenance statement, when one is given or lies beside the archive
 * ({job_id}.intoto.json): the package must be the one it names.
 */
async function checkStatement(
  abs: string,
  isArchive: boolean,
  given: string | false | undefined,
  manifest: Manifest,
  archiveSha256: string | undefined,
  logger: Logger
): Promise<string | undefined> {
  if (given === false) return undefined
  const beside = isArchive ? provenancePath(abs) : undefined
  const file = given !== undefined ? path.resolve(given) : beside
  if (file === undefined) return undefined
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (given === undefined && err.code === 'ENOENT') return undefined
    throw new VerificationError(path.basename(file), `Cannot read the provenance statement ${file}: ${err.code ?? err.message}.`)
  })
  if (text === undefined) return undefined
  let statement: unknown
  try {
    statement = JSON.parse(text)
  } catch (err) {
    throw new VerificationError(path.basename(file), `${path.basename(file)} is not valid JSON (${(err as Error).message}).`)
  }
  checkProvenance(file, statement, { manifest, archiveName: isArchive ? path.basename(abs) : undefined, archiveSha256 })
  logger.info(
    `The provenance statement ${path.basename(file)} names this package: its archive's sha256, commit, datasets and content digest agree.`
  )
  return file
}

async function checkTree(
  top: string,
  entries: readonly TreeEntry[],
  read: (rel: string) => Promise<Buffer | undefined>,
  fromArchive: boolean,
  logger: Logger
): Promise<Manifest> {
  const byPath = new Map(entries.map((e) => [e.path, e]))
  const fail = (p: string, what: string): never => {
    throw new VerificationError(p, `${p} ${what}`)
  }

  // job.json
  const jobJson = byPath.get('job.json')
  if (jobJson?.type !== 'file') fail('job.json', jobJson ? 'is not a regular file.' : 'is missing: this is not a package made by pack.')
  const text = await read('job.json')
  if (!text) fail('job.json', `is larger than ${MAX_TEXT_FILE} bytes: not one pack wrote.`)
  const manifest = parseManifest(text!.toString('utf8'), fail)
  if (fromArchive && top !== manifest.job_id) {
    fail(
      'job.json',
      `names the job ${JSON.stringify(manifest.job_id)}, but the archive's top folder is ${JSON.stringify(top)}: one of them was changed.`
    )
  } else if (!fromArchive && top !== manifest.job_id) {
    logger.info(`The folder is named ${top}; job.json names the job ${manifest.job_id}.`)
  }

  // Layout: what pack writes at the top, and nothing else.
  const generated = manifest.environment?.dockerfile !== 'code/Dockerfile'
  const expectedTop = new Set(['code', 'data', 'job.json', FILE_LIST, 'run.sh', ...(generated ? ['Dockerfile', '.dockerignore'] : [])])
  for (const e of entries) {
    const first = e.path.split('/')[0]!
    if (!expectedTop.has(first))
      fail(
        e.path,
        `is not part of the package: pack writes only code/, data/, job.json, ${FILE_LIST}, run.sh, Dockerfile and .dockerignore. It was added after packing.`
      )
  }
  for (const name of ['run.sh', ...(generated ? ['Dockerfile', '.dockerignore'] : [])]) {
    if (byPath.get(name)?.type !== 'file') fail(name, byPath.has(name) ? 'is not a regular file.' : 'is missing from the package.')
  }
  if (byPath.has('code') && byPath.get('code')!.type !== 'directory') fail('code', 'is not a folder.')

  // data/: exactly the datasets job.json lists.
  const listed = new Map(manifest.datasets.map((d) => [`data/${d.name}`, d]))
  for (const e of entries) {
    if (e.path.startsWith('data/') && !listed.has(e.path))
      fail(e.path, 'is not one of the datasets job.json lists: it was added after packing.')
  }
  for (const [p, d] of listed) {
    const e = byPath.get(p)
    if (e?.type !== 'file') fail(p, e ? 'is not a regular file.' : 'is missing: job.json lists it as a dataset.')
    if (e!.size !== d.size || e!.sha256 !== d.sha256) {
      fail(p, `has changed: ${e!.size} bytes with sha256 ${e!.sha256}, but job.json records ${d.size} bytes with sha256 ${d.sha256}.`)
    }
  }

  // run.sh: what pack renders for job.json's command and datasets.
  const runSh = await read('run.sh')
  const rendered = renderRunScript({
    command: manifest.spec.command,
    dataFiles: manifest.datasets.map((d) => d.name),
    start: typeof manifest.environment?.start === 'string' ? manifest.environment.start : undefined
  })
  if (runSh?.toString('utf8') !== rendered) {
    if (manifest.packager.version !== PACKAGER_VERSION) {
      logger.warn(
        `run.sh was written by ${manifest.packager.name} ${manifest.packager.version}, this is ${PACKAGER_VERSION}: it is not compared with job.json's command (the content digest still covers it).`
      )
    } else {
      fail(
        'job.json',
        'does not match run.sh: the command or the datasets in job.json are not the ones run.sh runs. job.json (or run.sh) was edited after packing.'
      )
    }
  }

  // Each file against files.sha256, whose lines must make job.json's content digest: the first difference is named.
  const covered = entries.filter((e) => e.path !== 'job.json' && e.path !== FILE_LIST)
  checkFileList(byPath.get(FILE_LIST), await read(FILE_LIST), covered, manifest, fail)

  // The content digest, and the count of what it covers.
  const files = covered.filter((e) => e.type !== 'directory').length
  const digest = contentDigest(covered)
  if (digest !== manifest.content_digest) {
    fail(
      files === manifest.files ? 'code/' : 'the package',
      files === manifest.files
        ? `or the Dockerfile holds a changed file: the package's content digest is ${digest}, but job.json records ${manifest.content_digest}. (The package records one digest, not one per file, so the changed file cannot be named; data/, run.sh and job.json were checked one by one and are intact.)`
        : `holds ${files} files and symlinks, but job.json records ${manifest.files}: a file was added to or removed from code/ after packing (content digest ${digest}, job.json records ${manifest.content_digest}).`
    )
  }
  return manifest
}

/**
 * files.sha256 names every file's hash, so a changed, added or removed file
 * under code/ (or the Dockerfile) is named. A package from before the list
 * existed has none: then only the content digest below can tell, and it
 * cannot say which file.
 */
function checkFileList(
  entry: TreeEntry | undefined,
  text: Buffer | undefined,
  covered: readonly TreeEntry[],
  manifest: Manifest,
  fail: (p: string, what: string) => never
): void {
  if (entry === undefined) return
  if (entry.type !== 'file') fail(FILE_LIST, 'is not a regular file.')
  if (text === undefined) fail(FILE_LIST, `is larger than ${MAX_FILE_LIST} bytes: not one pack wrote.`)
  const parsed = parseFileList(text.toString('utf8'))
  if ('badLine' in parsed) fail(FILE_LIST, `line ${parsed.badLine} is not "MODE SHA256 PATH": the list was edited after packing.`)
  const listed = parsed.files
  const digest = listedDigest(listed)
  if (digest !== manifest.content_digest) {
    fail(
      FILE_LIST,
      `does not match job.json: its lines make the content digest ${digest}, but job.json records ${manifest.content_digest}. One of the two was edited after packing.`
    )
  }
  const differences = compareFileList(listed, covered)
  if (differences.length > 0) {
    const [first, ...rest] = differences
    const more =
      rest.length > 0
        ? ` (and ${rest.length} more: ${rest
            .slice(0, 5)
            .map((d) => d.path)
            .join(', ')}${rest.length > 5 ? ', …' : ''})`
        : ''
    throw new VerificationError(first!.path, `${describeDifference(first!)}${more}.`)
  }
}

const DIGEST = /^sha256:[0-9a-f]{64}$/
const HEX = /^[0-9a-f]{64}$/

function parseManifest(text: string, fail: (p: string, what: string) => never): Manifest {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    fail('job.json', `is not valid JSON (${(err as Error).message}).`)
  }
  const m = value as Partial<Manifest> | null
  const ok =
    m !== null &&
    typeof m === 'object' &&
    typeof m.job_id === 'string' &&
    m.schema === 'job-packager/manifest@1' &&
    typeof m.packager?.name === 'string' &&
    typeof m.packager.version === 'string' &&
    typeof m.spec?.command === 'string' &&
    Array.isArray(m.spec.data_url) &&
    typeof m.source === 'object' &&
    Array.isArray(m.datasets) &&
    m.datasets.every(
      (d) =>
        typeof d?.name === 'string' &&
        /^[^/\0]+$/.test(d.name) &&
        d.name !== '..' &&
        d.name !== '.' &&
        Number.isSafeInteger(d.size) &&
        HEX.test(String(d.sha256))
    ) &&
    typeof m.content_digest === 'string' &&
    DIGEST.test(m.content_digest) &&
    Number.isSafeInteger(m.files)
  if (!ok) fail('job.json', 'is not a job-packager manifest (job-packager/manifest@1): a required field is missing or has the wrong type.')
  const manifest = m as Manifest
  // The job id names the results (`{out}/{job_id}/`, the image tag): pack's one rule, so `../x` cannot climb out.
  try {
    // An empty id would be replaced by a fresh one: not the id written either.
    if (parseJobId(manifest.job_id) !== manifest.job_id) throw new SpecError('job_id', 'is empty', 'a job id')
  } catch (err) {
    if (!(err instanceof SpecError)) throw err
    fail('job.json', `names the job ${JSON.stringify(manifest.job_id)}, which pack never writes: ${err.problem}.`)
  }
  // `run` hands these to the container engine (`-f`, the context): only the two pairs pack writes.
  const env = manifest.environment
  if (env !== undefined) {
    const pair = Object.values(BUILD_FILES).find((b) => b.dockerfile === env?.dockerfile && b.build_context === env.build_context)
    if (!pair)
      fail(
        'job.json',
        `names the Dockerfile ${JSON.stringify(env?.dockerfile)} with the build context ${JSON.stringify(env?.build_context)}; pack writes only ${Object.values(
          BUILD_FILES
        )
          .map((b) => `${b.dockerfile} with ${b.build_context}`)
          .join(' or ')}.`
      )
  }
  // The canonical text for these values, with the packager that wrote it: any edit that is not a change of value shows here.
  const canonical = renderManifest({ ...buildManifest(manifest), packager: manifest.packager })
  if (canonical !== text) {
    fail('job.json', 'is not as pack wrote it: fields were added, removed, reordered or reformatted after packing.')
  }
  return manifest
}
