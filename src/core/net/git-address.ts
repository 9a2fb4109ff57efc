/**
 * The private-network rule for the git remote, the same one datasets follow
 * (`download/address-policy.ts`): with the block on, an http(s) `git_url`
 * whose host is, or resolves to, a loopback, private, link-local or reserved
 * address is refused before git runs.
 *
 * Checking a name and then letting git resolve it again would leave a gap (a
 * DNS answer that changes in between: rebinding), so the addresses checked
 * are handed to git as `http.curloptResolve` (`host:port:addr,…`): curl then
 * connects to exactly those and never asks DNS itself. git never follows a
 * redirect either (see git-command-manager.ts), so no other host is reached.
 *
 * ssh remotes are not checked: the host in an ssh URL is a name for ssh, which
 * the runner's ssh config may map to another host name, a port or a jump host,
 * so the address it connects to cannot be known (or pinned) from here. They
 * need `allow-protocols` to include ssh, which only the workflow or the CLI's
 * user can set.
 */
import dns from 'node:dns/promises'
import net from 'node:net'
import { GitError } from '../errors.js'
import { isNonPublicAddress } from '../download/address-policy.js'
import type { OptionNamer } from '../options/names.js'
import type { GitSource } from '../spec.js'

export interface GitAddressRequest {
  source: GitSource
  allowPrivateNetwork: boolean
  names: OptionNamer
  /** DNS lookup of every address of a name (tests may replace it). */
  lookup?: (hostname: string) => Promise<string[]>
  /** What the remote is, for the refusal: "git_url" (default) or "submodule lib/x". */
  role?: string
}

/** Where git may connect: the `http.curloptResolve` value that pins the checked addresses, when there is one. */
export interface GitAddressPin {
  resolve?: string
}

const defaultLookup = async (hostname: string): Promise<string[]> =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address)

/** Resolves the remote's host, refuses it when the block applies, and returns the pin for git. */
export async function checkGitAddress(req: GitAddressRequest): Promise<GitAddressPin> {
  const { source } = req
  if (source.protocol !== 'http' && source.protocol !== 'https') return {}
  const url = new URL(source.url)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  // An IP literal needs no lookup and no pin: curl connects to it as written.
  if (net.isIP(host)) {
    refuseIfBlocked(req, url.hostname, [host])
    return {}
  }
  let addresses: string[]
  try {
    addresses = await (req.lookup ?? defaultLookup)(host)
  } catch (err) {
    throw new GitError(`Could not resolve the host of ${url.origin}: ${(err as Error).message}`, { cause: err })
  }
  if (addresses.length === 0) throw new GitError(`The host of ${url.origin} has no address.`)
  refuseIfBlocked(req, url.hostname, addresses)
  // IPv6 addresses go in brackets in a curl resolve entry.
  const list = addresses.map((a) => (net.isIPv6(a) ? `[${a}]` : a)).join(',')
  return { resolve: `${url.hostname}:${port}:${list}` }
}

function refuseIfBlocked(req: GitAddressRequest, hostname: string, addresses: string[]): void {
  if (req.allowPrivateNetwork) return
  const bad = addresses.find((a) => isNonPublicAddress(a))
  if (bad === undefined) return
  throw new GitError(
    `Refused to connect to ${hostname} (${bad}) for ${req.role ?? 'git_url'}: it is a loopback, private, link-local or reserved address. Repositories must be on public addresses unless the private-network block is turned off (to allow it: ${req.names('allowPrivateNetwork', 'true')}).`
  )
}
