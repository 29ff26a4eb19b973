/** The console's calls go to its own server, which proxies `/api/<service>/…` with the caller's token. */
const TOKEN_KEY = 'fapiao.ops.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  save: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = session.token();
  const response = await fetch(`/api/${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    throw new ApiError(
      response.status,
      String(body['code'] ?? body['error'] ?? 'HTTP'),
      String(body['message'] ?? body['error_description'] ?? response.statusText),
    );
  }
  return body as T;
}

/** A client's credentials exchanged for a token at auth's /oauth/token (through the console's proxy). */
export async function exchangeClientCredentials(clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch('/api/auth/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  const body = (await response.json()) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token)
    throw new ApiError(response.status, body.error ?? 'HTTP', body.error_description ?? 'token refused');
  return body.access_token;
}

export interface TokenClaims {
  sub?: string;
  tid?: string;
  scope?: string;
  exp?: number;
}

/** What the token says about its holder, for display only: the services verify it. */
export function claimsOf(token: string): TokenClaims {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)) as TokenClaims;
  } catch {
    return {};
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ConsoleConfig {
  jaegerUiUrl: string | null;
}

/**
 * Orders expose no trace id; every service's spans carry the order id as `fapiao.order_id`
 * (libs/platform/observability attributes), so the link is Jaeger's search by that tag.
 */
export function traceLink(config: ConsoleConfig, orderId: string): string | null {
  if (!config.jaegerUiUrl) return null;
  const tags = encodeURIComponent(JSON.stringify({ 'fapiao.order_id': orderId }));
  return `${config.jaegerUiUrl.replace(/\/$/, '')}/search?service=fapiao-order&tags=${tags}&lookback=7d`;
}
