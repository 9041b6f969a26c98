import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Why an address is not on the public internet. */
export type NonPublicKind =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'unique-local'
  | 'unspecified';

const RANGES: ReadonlyArray<readonly [NonPublicKind, string, number, 'ipv4' | 'ipv6']> = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['carrier-grade NAT', '100.64.0.0', 10, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
];

// One list per kind so the error can name it. BlockList also matches IPv4-mapped IPv6 addresses
// (::ffff:127.0.0.1, ::ffff:7f00:1) against the IPv4 ranges.
const lists = new Map<NonPublicKind, BlockList>();
for (const [kind, network, prefix, family] of RANGES) {
  const list = lists.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, family);
  lists.set(kind, list);
}

/** The kind of non-public address this is, or undefined for a public one (or something that is not an IP). */
export function nonPublicKind(address: string): NonPublicKind | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 0) return undefined;
  for (const [kind, list] of lists) {
    if (list.check(bare, version === 4 ? 'ipv4' : 'ipv6')) return kind;
  }
  return undefined;
}

/** Raised inside the connection when a host resolves to a non-public address. */
export class NonPublicAddressError extends Error {
  readonly hostname: string;
  readonly address: string;
  readonly kind: NonPublicKind;

  constructor(hostname: string, address: string, kind: NonPublicKind) {
    super(`${hostname} resolves to ${address}, a ${kind} address`);
    this.name = 'NonPublicAddressError';
    this.hostname = hostname;
    this.address = address;
    this.kind = kind;
  }
}

/**
 * A DNS lookup for the connection itself: the addresses it returns are the ones connected to, so a
 * name that resolves to a public address when checked and a private one when used cannot slip by.
 * Refuses the host when any of its addresses is non-public.
 */
/**
 * The shape of node's `net.LookupFunction` (the `lookup` option of sockets and agents), written
 * out so that this package's types need no @types/node.
 */
export type AddressLookup = (
  hostname: string,
  options: { family?: number | 'IPv4' | 'IPv6'; hints?: number; all?: boolean },
  callback: (
    error: Error | null,
    address: string | { address: string; family: number }[],
    family?: number,
  ) => void,
) => void;

export const publicOnlyLookup: AddressLookup = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '');
      return;
    }
    for (const { address } of addresses) {
      const kind = nonPublicKind(address);
      if (kind) {
        callback(new NonPublicAddressError(hostname, address, kind), '');
        return;
      }
    }
    const first = addresses[0];
    if (!first) {
      callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }), '');
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
};

/** Finds the refusal among an error and its causes: undici may wrap what the socket raised. */
export function findNonPublicAddressError(error: unknown): NonPublicAddressError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof NonPublicAddressError) return current;
    current = current.cause;
  }
  return undefined;
}
