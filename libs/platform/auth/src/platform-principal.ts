import type { Principal } from '@fapiao/platform/http';
import { AuthErrors } from './auth.errors';

/**
 * The `tid` of a platform client's token (the bootstrap platform client, service clients): a tenant id no
 * tenant can have (tenants get random v4 UUIDs), so a tenant-scoped query run with it finds nothing.
 */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Hard ceiling of an access token's lifetime (AUTH_TOKEN_TTL_SECONDS cannot exceed it; verifiers refuse a
 * token whose exp − iat is longer). Revocation lists only need to remember this long.
 */
export const MAX_TOKEN_TTL_SECONDS = 3600;

/** Whether the caller is the platform administrator (a platform client holding platform:admin). */
export const isPlatformAdmin = (principal: Principal): boolean =>
  principal.tenantId === PLATFORM_TENANT_ID && principal.scopes.includes('platform:admin');

/**
 * The tenant an operator route is confined to. A tenant's client: its own tenant only (naming another is
 * 403 AUTH.CROSS_TENANT). The platform administrator: the tenant it names with `?tenantId=`, or every
 * tenant (undefined) when it names none, so a route that needs one tenant throws AUTH.TENANT_REQUIRED.
 */
export function operatorTenantScope(principal: Principal, requested?: string): string | undefined {
  if (isPlatformAdmin(principal)) return requested;
  if (requested !== undefined && requested !== principal.tenantId) throw AuthErrors.crossTenant();
  return principal.tenantId;
}
