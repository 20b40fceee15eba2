/**
 * Which webhook destinations a subscription may name when the operator gives no `allowDest` of its own: a
 * member must not make the platform server POST to the platform's own network (its node's JSON-RPC on
 * loopback, a database, a cloud metadata service on 169.254.169.254). Hosts written as loopback, private,
 * link-local, unique-local or unspecified addresses, and `localhost` / `*.localhost`, are refused. A host
 * NAME that resolves to such an address is not caught here: production deployments set `allowDest` to an
 * allow-list (docs/epcis-query.md).
 */
import { isIP } from "node:net";

const PRIVATE_V4: ReadonlyArray<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
];

function v4Number(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function isPrivateV4(address: string): boolean {
  const n = v4Number(address);
  return PRIVATE_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

function isPrivateV6(address: string): boolean {
  const a = address.toLowerCase();
  if (a === "::" || a === "::1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return isPrivateV4(mapped[1]);
  // URL writes an IPv4-mapped address in hex: [::ffff:127.0.0.1] is [::ffff:7f00:1].
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (hex) {
    const n = parseInt(hex[1], 16) * 65536 + parseInt(hex[2], 16);
    return isPrivateV4([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."));
  }
  return /^f[cd]/.test(a) || /^fe[89ab]/.test(a); // unique-local fc00::/7, link-local fe80::/10
}

/** True when `url`'s host is not an address of the server's own or a private network. */
export function isPublicDestination(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return false;
  const kind = isIP(host);
  if (kind === 4) return !isPrivateV4(host);
  if (kind === 6) return !isPrivateV6(host);
  return true;
}
