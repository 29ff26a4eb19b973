import { SetMetadata } from '@nestjs/common';

/** Scopes a tenant's API client can hold: they act on that tenant only (architecture.md §7). */
export const TENANT_SCOPES = [
  'orders:write',
  'orders:read',
  'invoices:read',
  'invoices:reverse',
  'ops:read',
  'ops:write',
] as const;

/**
 * Scopes only a platform client (one without a tenant, created at install) can hold: platform
 * administration, and the tenant directory other services read with their own service client.
 */
export const PLATFORM_SCOPES = ['platform:admin', 'tenants:lookup'] as const;

export const SCOPES = [...TENANT_SCOPES, ...PLATFORM_SCOPES] as const;
export type Scope = (typeof SCOPES)[number];
export type TenantScope = (typeof TENANT_SCOPES)[number];

export const isPlatformScope = (scope: string): boolean =>
  (PLATFORM_SCOPES as readonly string[]).includes(scope);

export const REQUIRED_SCOPES = 'fapiao:required-scopes';
/** The token must carry every listed scope. */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

export const CONDITIONAL_SCOPES = 'fapiao:conditional-scopes';
/** Scopes a route needs in some cases only, on top of its @RequireScopes: which, and when. */
export interface ConditionalScopes {
  when: string;
  scopes: Scope[];
}
/**
 * Declares that the handler itself requires `scopes` as well when `when` holds (it alone knows, e.g. from
 * the state of what it acts on). The guard cannot check this: it documents the handler's own check for the
 * README's scope table and the test that keeps the two in step.
 */
export const RequireScopesWhen = (when: string, ...scopes: Scope[]) =>
  SetMetadata(CONDITIONAL_SCOPES, { when, scopes } satisfies ConditionalScopes);

/** Whether a caller holds every one of `scopes`. */
export const holdsScopes = (principal: { scopes: readonly string[] }, ...scopes: Scope[]): boolean =>
  scopes.every((scope) => principal.scopes.includes(scope));
