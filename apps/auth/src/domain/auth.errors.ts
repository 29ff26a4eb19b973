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
