import { DomainError } from '@fapiao/contracts';

export const TenantErrors = {
  invalidSellerTaxId: (code: string, message: string) =>
    new DomainError('validation', `TENANT.${code}`, message, 'sellerTaxId'),
  duplicateSellerTaxId: () =>
    new DomainError(
      'conflict',
      'TENANT.DUPLICATE_SELLER_TAX_ID',
      'A tenant with this seller tax id exists',
      'sellerTaxId',
    ),
  notFound: (id: string) =>
    new DomainError('not_found', 'TENANT.NOT_FOUND', `Tenant ${id} not found`, 'tenantId'),
};

export const ClientErrors = {
  /** Also the answer for another tenant's client: its existence is not disclosed. */
  notFound: (clientId: string) =>
    new DomainError('not_found', 'CLIENT.NOT_FOUND', `Client ${clientId} not found`, 'clientId'),
  revoked: (clientId: string) =>
    new DomainError('conflict', 'CLIENT.REVOKED', `Client ${clientId} is revoked`, 'clientId'),
  /** Platform scopes belong to platform clients, which are created at install, never through the API. */
  platformScopeNotGrantable: (scope: string) =>
    new DomainError(
      'validation',
      'CLIENT.PLATFORM_SCOPE_NOT_GRANTABLE',
      `A tenant's client cannot hold ${scope}`,
      'scopes',
    ),
};

/** A refusal that says when to come back: the token endpoint's filter sends it as Retry-After. */
export class RetryLaterError extends DomainError {
  constructor(
    kind: 'rate_limited' | 'unavailable',
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(kind, code, message);
    this.name = 'RetryLaterError';
  }
}

/** OAuth2 token endpoint failures; the token controller maps them to RFC 6749 §5.2 error names. */
export const OAuthErrors = {
  invalidRequest: (message: string, field?: string) =>
    new DomainError('validation', 'AUTH.INVALID_REQUEST', message, field),
  unsupportedGrantType: () =>
    new DomainError(
      'validation',
      'AUTH.UNSUPPORTED_GRANT_TYPE',
      'Only client_credentials is supported',
      'grant_type',
    ),
  invalidClient: () =>
    new DomainError('unauthenticated', 'AUTH.INVALID_CLIENT', 'Client authentication failed'),
  /** A Basic Authorization header that cannot be read; `reason` says how, never what it held. */
  malformedCredentials: (reason: string) =>
    new DomainError(
      'unauthenticated',
      'AUTH.MALFORMED_CREDENTIALS',
      `Malformed Basic credentials: ${reason}`,
      'authorization',
    ),
  /** Over the per-client or per-address limit of the token endpoint (429). */
  tooManyRequests: (retryAfterSeconds: number) =>
    new RetryLaterError(
      'rate_limited',
      'AUTH.TOO_MANY_REQUESTS',
      `Too many token requests; retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    ),
  /** Every secret-hashing slot and its queue are taken (503): the flood is not ours to queue. */
  busy: () =>
    new RetryLaterError('unavailable', 'AUTH.BUSY', 'Too many token requests in progress; retry shortly', 1),
  invalidScope: (scope: string) =>
    new DomainError(
      'validation',
      'AUTH.INVALID_SCOPE',
      `Scope not granted to this client: ${scope}`,
      'scope',
    ),
};

export const SigningKeyErrors = {
  notFound: (kid: string) =>
    new DomainError('not_found', 'KEY.NOT_FOUND', `Signing key ${kid} not found`, 'kid'),
  activeKeyCannotRetire: (kid: string) =>
    new DomainError(
      'conflict',
      'KEY.ACTIVE',
      `Key ${kid} signs new tokens; rotate before retiring it`,
      'kid',
    ),
};
