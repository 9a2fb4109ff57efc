/**
 * Which network destinations a dataset download may connect to. With the
 * block on, loopback, private, link-local (cloud metadata at 169.254.169.254),
 * CGNAT, multicast and reserved ranges are refused, in every spelling: the
 * check runs on the address actually connected to (after DNS), for every
 * redirect hop, and IPv6 forms that carry an IPv4 address are judged by it.
 * Decimal, octal and hex IPv4 spellings are normalised by the URL parser
 * before this.
 *
 * IPv6 forms with an IPv4 address inside:
 * - IPv4-mapped `::ffff:a.b.c.d` and IPv4-translated `::ffff:0:a.b.c.d`: the
 *   IPv4 address itself; refused when it is.
 * - 6to4 `2002:AABB:CCDD::/48`: the site behind the IPv4 address A.B.C.D
 *   (a host with a 6to4 interface routes it there); refused when that
 *   address is non-public, allowed like the IPv4 address otherwise.
 * - IPv4-compatible `::a.b.c.d` (`::/96`): refused outright. Deprecated since
 *   2006 (RFC 4291), never assigned to a server, yet some stacks still send
 *   it to a.b.c.d; nothing legitimate is lost.
 * - Teredo `2001:0::/32`: refused outright. It holds two IPv4 addresses (the
 *   relay's, and the client's behind a NAT, bit-inverted) and belongs to
 *   tunnelled clients, not to servers a dataset could come from; judging one
 *   embedded address would leave the other.
 */
import dns from 'node:dns'
import net from 'node:net'
import { DownloadError } from '../errors.js'

const BLOCKED = new net.BlockList()
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4]
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv4')
}
for (const [prefix, bits] of [
  // IPv4-compatible (includes :: and ::1), see above.
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  // Teredo, see above.
  ['2001::', 32],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8]
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv6')
}

/** True when `address` (an IP literal) is not a public unicast address. */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address)
  if (family === 0) return true
  if (family === 4) return BLOCKED.check(address, 'ipv4')
  const v4 = embeddedIpv4(ipv6Bytes(address))
  if (v4 !== undefined && BLOCKED.check(v4, 'ipv4')) return true
  return BLOCKED.check(address.replace(/%.*$/, ''), 'ipv6')
}

/** The IPv4 address an IPv6 address is judged by (mapped, translated, 6to4), if any. */
function embeddedIpv4(b: readonly number[]): string | undefined {
  const zero = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0)
  const v4 = (at: number): string => b.slice(at, at + 4).join('.')
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12)
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return v4(12)
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2)
  return undefined
}

/** The 16 bytes of an IPv6 literal that net.isIP accepted (any spelling: `::`, a dotted tail, a zone). */
function ipv6Bytes(address: string): number[] {
  let text = address.replace(/%.*$/, '')
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const words = (part: string): string[] => (part === '' ? [] : part.split(':'))
  const h = words(head)
  const t = tail === undefined ? [] : words(tail)
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
  return all.flatMap((w) => {
    const n = parseInt(w, 16)
    return [n >> 8, n & 255]
  })
}

/**
 * What a connection is for, so that a refusal names the thing refused (a
 * dataset, a Git LFS object, a registry, a token realm) and its own rule.
 */
export interface NetSubject {
  /** Appended to "Refused to connect to HOST (ADDRESS)", e.g. " for the container registry of base image x"; '' for none. */
  name: string
  /** The rule, as a sentence start: "Datasets must come from public addresses". */
  rule: string
}

export const DATASET_SUBJECT: NetSubject = { name: 'a dataset', rule: 'Datasets must come from public addresses' }

/** `allowHint` says, in the user's own words, how to turn the block off (e.g. "--allow-private-network"). */
function refusal(host: string, address: string, allowHint: string, subject: NetSubject): DownloadError {
  // A dataset's refusal keeps its words: the URL it names already says what it is.
  const what = subject === DATASET_SUBJECT ? '' : ` for ${subject.name}`
  return new DownloadError(
    `Refused to connect to ${host} (${address})${what}: it is a loopback, private, link-local or reserved address. ${subject.rule} unless the private-network block is turned off (to allow it: ${allowHint}).`
  )
}

/**
 * Which addresses are refused: none (block off), or non-public ones. Tests
 * pass their own predicate to prove that the check runs at every hop, since
 * every server they can reach is on loopback.
 */
export type AddressBlock = (address: string) => boolean

const DEFAULT_HINT = 'allowPrivateNetwork: true'

export function addressBlock(allowPrivate: boolean): AddressBlock | undefined {
  return allowPrivate ? undefined : isNonPublicAddress
}

/** Checks a URL's host when it is an IP literal (DNS lookup is skipped for those). */
export function checkLiteralHost(
  hostname: string,
  blocked: AddressBlock | undefined,
  allowHint = DEFAULT_HINT,
  subject: NetSubject = DATASET_SUBJECT
): void {
  const host = hostname.replace(/^\[|\]$/g, '')
  if (blocked && net.isIP(host) && blocked(host)) throw refusal(hostname, host, allowHint, subject)
}

/**
 * A `lookup` for http.request that refuses blocked results, so the check
 * applies to the address the socket really connects to (no DNS rebinding gap).
 */
export function guardedLookup(
  blocked: AddressBlock | undefined,
  allowHint = DEFAULT_HINT,
  subject: NetSubject = DATASET_SUBJECT
): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0)
      if (blocked) {
        const bad = addresses.find((a) => blocked(a.address))
        if (bad) return callback(refusal(hostname, bad.address, allowHint, subject), '', 0)
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses)
      const first = addresses[0]
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0)
      callback(null, first.address, first.family)
    })
  }
}
