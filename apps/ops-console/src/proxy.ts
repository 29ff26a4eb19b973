/** The services the console reaches, as `/api/<name>/…`. */
export const UPSTREAMS = ['auth', 'order', 'invoice', 'tax-bridge', 'reconciliation'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

/**
 * Request headers passed to a service: the caller's bearer token (the service checks scopes and tenancy
 * itself), and what describes the body. Cookies and the rest stay behind.
 */
export const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key'];
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'www-authenticate'];

/** The service URL for a console path `/api/<service>/<rest>?query`, or null when it names no service. */
export function upstreamUrl(path: string, bases: Record<Upstream, string>): string | null {
  const match = /^\/api\/([a-z-]+)(\/[^?#]*)(\?[^#]*)?$/.exec(path);
  if (!match) return null;
  const [, service, rest, query = ''] = match;
  if (!(UPSTREAMS as readonly string[]).includes(service)) return null;
  // The public API and the token endpoint only (no /internal, /docs, /metrics), and no way out of them:
  // `..` segments (also encoded) are refused.
  if (!/^\/v1\//.test(rest) && rest !== '/oauth/token') return null;
  if (/(^|\/)(\.|%2e){2}(\/|$)/i.test(rest)) return null;
  return `${bases[service as Upstream].replace(/\/$/, '')}${rest}${query}`;
}
