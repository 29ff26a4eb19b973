import { DomainError } from '@fapiao/contracts';

/** Stable codes for every way a request can fail authentication or authorization. */
export const AuthErrors = {
  missingToken: () => new DomainError('unauthenticated', 'AUTH.MISSING_TOKEN', 'A bearer token is required'),
  invalidToken: (reason: string) =>
    new DomainError('unauthenticated', 'AUTH.INVALID_TOKEN', `Invalid token: ${reason}`),
  expiredToken: () => new DomainError('unauthenticated', 'AUTH.TOKEN_EXPIRED', 'The token has expired'),
  unknownKey: () =>
    new DomainError('unauthenticated', 'AUTH.UNKNOWN_KEY', 'The token was signed by an unknown key'),
  invalidClaims: (claim: string) =>
    new DomainError('unauthenticated', 'AUTH.INVALID_CLAIMS', `The token's ${claim} is not accepted`, claim),
  insufficientScope: (scopes: readonly string[]) =>
    new DomainError('forbidden', 'AUTH.INSUFFICIENT_SCOPE', `Requires scope ${scopes.join(' ')}`, 'scope'),
  revokedClient: () =>
    new DomainError('unauthenticated', 'AUTH.CLIENT_REVOKED', 'The client of this token has been revoked'),
  /** A tenant's client naming another tenant (only the platform administrator acts across tenants). */
  crossTenant: () =>
    new DomainError(
      'forbidden',
      'AUTH.CROSS_TENANT',
      "A tenant's client acts on its own tenant only",
      'tenantId',
    ),
  tenantRequired: () =>
    new DomainError(
      'validation',
      'AUTH.TENANT_REQUIRED',
      'The platform administrator names the tenant it acts on (?tenantId=)',
      'tenantId',
    ),
};
