/**
 * Which network destinations a dataset download may connect to. With the
 * block on, loopback, private, link-local (cloud metadata at 169.254.169.254),
 * CGNAT, multicast and reserved ranges are refused, in every spelling: the
 * check runs on the address actually connected to (after DNS), for every
 * redirect hop, and IPv4-mapped IPv6 addresses are unwrapped first. Decimal,
 * octal and hex IPv4 spellings are normalised by the URL parser before this.
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
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
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
  if (family === 6) {
    const mapped = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
    if (mapped) return BLOCKED.check(mapped[1]!, 'ipv4')
    const hexMapped = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
    if (hexMapped) {
      const hi = parseInt(hexMapped[1]!, 16)
      const lo = parseInt(hexMapped[2]!, 16)
      return BLOCKED.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4')
    }
    return BLOCKED.check(address, 'ipv6')
  }
  return BLOCKED.check(address, 'ipv4')
}

/** `allowHint` says, in the user's own words, how to turn the block off (e.g. "--allow-private-network"). */
function refusal(host: string, address: string, allowHint: string): DownloadError {
  return new DownloadError(
    `Refused to connect to ${host} (${address}): it is a loopback, private, link-local or reserved address. Datasets must come from public addresses unless the private-network block is turned off (to allow it: ${allowHint}).`
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
export function checkLiteralHost(hostname: string, blocked: AddressBlock | undefined, allowHint = DEFAULT_HINT): void {
  const host = hostname.replace(/^\[|\]$/g, '')
  if (blocked && net.isIP(host) && blocked(host)) throw refusal(hostname, host, allowHint)
}

/**
 * A `lookup` for http.request that refuses blocked results, so the check
 * applies to the address the socket really connects to (no DNS rebinding gap).
 */
export function guardedLookup(blocked: AddressBlock | undefined, allowHint = DEFAULT_HINT): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0)
      if (blocked) {
        const bad = addresses.find((a) => blocked(a.address))
        if (bad) return callback(refusal(hostname, bad.address, allowHint), '', 0)
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses)
      const first = addresses[0]
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0)
      callback(null, first.address, first.family)
    })
  }
}
