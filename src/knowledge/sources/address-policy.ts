import dns from 'node:dns';
import net from 'node:net';

/** One answer of a name lookup: an address and its family (4 or 6). */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; injected by tests so no real DNS is needed. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (`getaddrinfo`, so `/etc/hosts` applies), every address at once. */
export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true });

/**
 * Addresses a fetch of a public web page must never reach: a URL (or a redirect, or a DNS answer) pointing at
 * them would let whoever submits URLs read the server's own network, and the fetched text is later shown to
 * anonymous visitors.
 */
const forbiddenV4 = new net.BlockList();
// Kept apart from the IPv4 list: a BlockList holding `::ffff:0:0/96` matches every IPv4 address checked against it.
const forbiddenV6 = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including the cloud metadata service 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments (some clouds put metadata here)
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  forbiddenV4.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 96], // unspecified, loopback (::1) and the deprecated IPv4-compatible form
  ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones included
  ['64:ff9b::', 96], // NAT64 (well-known prefix): embeds an IPv4 address
  ['64:ff9b:1::', 48], // NAT64, local use
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: embeds an IPv4 address
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique-local, including the EC2 metadata service fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  forbiddenV6.addSubnet(prefix, bits, 'ipv6');
}

/** Whether an IP address is public, i.e. not loopback, private, link-local, CGNAT, metadata or reserved. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  return family === 4 ? !forbiddenV4.check(address, 'ipv4') : !forbiddenV6.check(address, 'ipv6');
}

/** A URL's host as written, lower-cased and without IPv6 brackets, for comparing with allowed hosts. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}
