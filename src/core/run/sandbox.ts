/**
 * The security rules of `run` for a package it does not trust, as pure
 * decisions: each returns what to do, and the caller (runner.ts) words the
 * log line or the error. A package is untrusted unless the user says
 * `--trust-package`: its Dockerfile's `RUN` steps run as root during the
 * build, and its job runs with whatever the image declares (docs/SECURITY.md,
 * "Building and running a package").
 *
 * - sandboxVerdict: may this engine build and run the package, and how.
 * - resolveJobUser: the numeric uid:gid the job runs as, read from the
 *   image's own /etc/passwd and /etc/group; never uid 0.
 */
import { JOB_UID } from '../render/dockerfile.js'
import type { ResolvedEngineName } from './types.js'

/** What an engine can give a package it does not trust; detected by the engine itself. */
export type EngineIsolation =
  /** Build steps and the job in containers the package cannot leave (OCI isolation, docker, podman). */
  | { kind: 'isolated' }
  /** Only isolation a root build step can leave (buildah's chroot isolation): `why` says what made it so. */
  | { kind: 'weak'; why: string }
  /** No container at all (the none engine). */
  | { kind: 'none' }

export type SandboxVerdict =
  /** Build and run the package isolated. */
  | { verdict: 'isolated' }
  /** Build and run it as the engine is configured, because the user trusts it (or chose the none engine). */
  | { verdict: 'trusted'; isolation: EngineIsolation }
  /** Do not build it: `why` is what the engine lacks. */
  | { verdict: 'refused'; why: string }

/**
 * May `engine` build and run a package, given what it can isolate and whether the user trusts the package?
 * The none engine is a choice the user makes by name, documented as for trusted jobs only (it warns): it is never
 * refused here, so that `--engine none` keeps working as documented.
 */
export function sandboxVerdict(engine: ResolvedEngineName, isolation: EngineIsolation, trustPackage: boolean): SandboxVerdict {
  if (engine === 'none' || isolation.kind === 'none') return { verdict: 'trusted', isolation }
  if (trustPackage) return { verdict: 'trusted', isolation }
  if (isolation.kind === 'weak') return { verdict: 'refused', why: isolation.why }
  return { verdict: 'isolated' }
}

/** The uid and gid a job runs as. */
export interface JobUser {
  uid: number
  gid: number
}

export type UserVerdict =
  /** Run as `user`; `replaced` when the image declared root or no user and the job uid is used instead (warn). */
  | { user: JobUser; replaced: boolean }
  /** Do not run: `why` is said to the user, with what to change. */
  | { refused: string }

/** The image's account files, read without following links (undefined: the file is not there). */
export interface ImageAccounts {
  passwd?: string
  group?: string
  /** Why the engine cannot read them (docker, podman): a name is then refused with that reason. */
  unreadable?: string
}

/** The largest uid/gid Linux has (2^32 - 2; -1 means "unchanged" to the kernel). */
const MAX_ID = 2 ** 32 - 2
const NUMERIC = /^\d+$/

function idOf(text: string): number | undefined {
  if (!NUMERIC.test(text)) return undefined
  const n = Number(text)
  return n <= MAX_ID ? n : undefined
}

/** `name:x:uid:gid:…` lines of /etc/passwd: name → ids (the first entry of a name wins, as getpwnam does). */
export function parsePasswd(text: string): Map<string, JobUser> {
  const users = new Map<string, JobUser>()
  for (const line of text.split('\n')) {
    const f = line.split(':')
    if (f.length < 4 || f[0] === '' || line.startsWith('#')) continue
    const uid = idOf(f[2]!)
    const gid = idOf(f[3]!)
    if (uid !== undefined && gid !== undefined && !users.has(f[0]!)) users.set(f[0]!, { uid, gid })
  }
  return users
}

/** `name:x:gid:…` lines of /etc/group: name → gid. */
export function parseGroup(text: string): Map<string, number> {
  const groups = new Map<string, number>()
  for (const line of text.split('\n')) {
    const f = line.split(':')
    if (f.length < 3 || f[0] === '' || line.startsWith('#')) continue
    const gid = idOf(f[2]!)
    if (gid !== undefined && !groups.has(f[0]!)) groups.set(f[0]!, gid)
  }
  return groups
}

/**
 * The numeric uid:gid the job runs as, from the image's USER (`user`, `user:group`, names or numbers) and its own
 * account files.
 *
 * - No USER, or USER spelled `root` or `0` (the documented case: many images leave USER unset): the job uid
 *   10001:10001 instead, and the caller warns.
 * - Any other spelling of uid 0 (`00`, `000`, a name the image's passwd maps to 0) is refused: it can only be there to
 *   pass a check by name, and the job must never run as root. With `--trust-package` it is replaced by 10001 like an
 *   image that says root. There is no way to run a job as root (under chroot isolation root in the job is root here).
 * - A number is read as a number (`0010` is 10); a name is looked up in the image's /etc/passwd (group: /etc/group);
 *   a name the image does not have is refused, as docker would fail on it. A numeric uid without a passwd entry gets
 *   its own number as gid (docker would use group 0).
 */
export function resolveJobUser(declared: string, accounts: ImageAccounts, trustPackage: boolean): UserVerdict {
  const text = declared.trim()
  const colon = text.indexOf(':')
  const userPart = (colon < 0 ? text : text.slice(0, colon)).trim()
  const groupPart = colon < 0 ? undefined : text.slice(colon + 1).trim()
  const jobUser = { user: { uid: JOB_UID, gid: JOB_UID }, replaced: true } as const
  if (userPart === '' || userPart === 'root' || userPart === '0') return jobUser

  const users = accounts.passwd === undefined ? undefined : parsePasswd(accounts.passwd)
  let uid = idOf(userPart)
  let gid: number | undefined
  if (uid === undefined) {
    if (NUMERIC.test(userPart)) return { refused: `USER ${declared}: ${userPart} is not a uid (the largest is ${MAX_ID}).` }
    const entry = users?.get(userPart)
    if (!entry) {
      return {
        refused: accounts.unreadable
          ? `USER ${declared}: a user name cannot be resolved to a uid here (${accounts.unreadable}); give USER as a number (uid:gid).`
          : `USER ${declared}: the image has no user ${JSON.stringify(userPart)} in its /etc/passwd${users ? '' : ' (it has no /etc/passwd)'}; give USER as a number (uid:gid).`
      }
    }
    uid = entry.uid
    gid = entry.gid
  } else {
    for (const entry of users?.values() ?? []) {
      if (entry.uid === uid) {
        gid = entry.gid
        break
      }
    }
    gid ??= uid
  }
  if (uid === 0) {
    if (trustPackage) return jobUser
    return {
      refused: `USER ${declared} is root (uid 0${NUMERIC.test(userPart) ? '' : ` in the image's /etc/passwd`}) under another name; a job never runs as root. Set USER to a non-root user, or remove it (the job then runs as ${JOB_UID}:${JOB_UID}); with --trust-package the job runs as ${JOB_UID}:${JOB_UID} instead.`
    }
  }
  if (groupPart !== undefined && groupPart !== '') {
    const g =
      idOf(groupPart) ??
      (NUMERIC.test(groupPart) ? undefined : accounts.group === undefined ? undefined : parseGroup(accounts.group).get(groupPart))
    if (g === undefined)
      return {
        refused: `USER ${declared}: the image has no group ${JSON.stringify(groupPart)} in its /etc/group; give USER as numbers (uid:gid).`
      }
    gid = g
  }
  return { user: { uid, gid }, replaced: false }
}
