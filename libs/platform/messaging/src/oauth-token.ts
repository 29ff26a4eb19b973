import type { Secret } from '@fapiao/platform/config';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: Secret;
  scope?: string;
}

/**
 * A token handed out keeps at least this long to live: kafkajs re-authenticates a connection before every
 * request once its session has less than 10 s left (`reauthenticationThreshold`), and a broker refuses a
 * second re-authentication within one second.
 */
const MIN_REMAINING_MS = 30_000;

export interface TokenSourceOptions {
  /**
   * Share of a token's lifetime after which the next call fetches a new one (Kafka's Java client: 0.8),
   * earlier if that would leave less than 30 s, but never before half of it.
   */
  refreshAfter?: number;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

interface CachedToken {
  value: string;
  refreshAt: number;
  expiresAt: number;
}

/**
 * OAuth 2.0 client_credentials (RFC 6749 §4.4) for SASL/OAUTHBEARER: returns a cached access token and
 * fetches the next one once most of its lifetime has passed, so kafkajs, which asks for a token on every
 * connection and every re-authentication (KIP-368), always presents one that is still valid.
 * Concurrent callers share one request; while the token endpoint fails, a token that has not expired yet
 * is still handed out. The client authenticates with HTTP Basic (client_secret_basic), as auth's
 * /oauth/token and Kafka's own Java client do. Errors name the endpoint and its OAuth error, never the
 * secret.
 */
export function clientCredentialsTokenSource(
  credentials: ClientCredentials,
  {
    refreshAfter = 0.8,
    timeoutMs = 10_000,
    fetch = globalThis.fetch,
    now = Date.now,
  }: TokenSourceOptions = {},
): () => Promise<{ value: string }> {
  let current: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;

  const request = async (): Promise<CachedToken> => {
    const requestedAt = now();
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credentials.scope) form.set('scope', credentials.scope);
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret.reveal())}`,
    ).toString('base64');
    const fail = (reason: string) =>
      new Error(`OAUTHBEARER: no token from ${credentials.tokenUrl}: ${reason}`);
    let response: Response;
    try {
      response = await fetch(credentials.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw fail(error instanceof Error ? error.message : String(error));
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const oauthError = typeof body['error'] === 'string' ? ` ${body['error']}` : '';
      throw fail(`HTTP ${response.status}${oauthError}`);
    }
    const token = body['access_token'];
    if (typeof token !== 'string' || token === '') throw fail('the response has no access_token');
    const lifetimeMs = lifetimeOf(body['expires_in'], token, requestedAt);
    if (lifetimeMs === undefined || lifetimeMs <= 0) {
      throw fail('the response has neither expires_in nor a JWT exp in the future');
    }
    const refreshInMs = Math.max(
      lifetimeMs / 2,
      Math.min(lifetimeMs * refreshAfter, lifetimeMs - MIN_REMAINING_MS),
    );
    // Counted from the request, not the response: the token's clock started while we waited.
    return { value: token, refreshAt: requestedAt + refreshInMs, expiresAt: requestedAt + lifetimeMs };
  };

  return async () => {
    if (current && now() < current.refreshAt) return { value: current.value };
    pending ??= request().finally(() => {
      pending = undefined;
    });
    try {
      current = await pending;
    } catch (error) {
      if (current && now() < current.expiresAt) return { value: current.value };
      throw error;
    }
    return { value: current.value };
  };
}

/** `expires_in` (seconds, RECOMMENDED by RFC 6749), else the JWT's own `exp`. */
function lifetimeOf(expiresIn: unknown, token: string, requestedAt: number): number | undefined {
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  if (typeof seconds === 'number' && Number.isFinite(seconds)) return seconds * 1000;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? claims.exp * 1000 - requestedAt : undefined;
  } catch {
    return undefined;
  }
}
