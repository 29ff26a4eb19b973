import { isIP } from 'node:net';

/**
 * What Express's `trust proxy` is set to: `false` (the default: the peer of the TCP connection is the
 * source, X-Forwarded-For is ignored), a hop count, or the addresses/subnets of the proxies in front of
 * auth. `true` (trust every X-Forwarded-For) is refused: anyone could then pick their own address and
 * walk around the per-address limit.
 */
export type TrustProxy = false | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses AUTH_TRUST_PROXY; throws with a message for the config error. */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim().toLowerCase();
  if (text === 'false' || text === '0') return false;
  if (text === 'true')
    throw new Error(
      'true would trust any X-Forwarded-For; name the proxies (CIDRs, loopback) or a hop count',
    );
  if (/^\d+$/.test(text)) return Number(text);
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items) {
    if (NAMED.has(item)) continue;
    const [address, prefix, ...rest] = item.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || rest.length > 0)
      throw new Error(`${item} is not an address, a CIDR, loopback, linklocal or uniquelocal`);
  }
  if (items.length === 0) throw new Error('is empty');
  return items;
}

/**
 * The key a source address is throttled under: IPv4 as is (an IPv4-mapped IPv6 address too), IPv6 by
 * its /64, since one host or customer usually holds a whole /64 and could otherwise rotate through it.
 */
export function sourceKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (isIP(address) !== 6) return address;
  const [withoutZone = ''] = address.toLowerCase().split('%');
  const [head = '', tail = ''] = withoutZone.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
