import { SetMetadata } from '@nestjs/common';

/** Scopes an API client can hold (architecture.md §7). */
export const SCOPES = [
  'orders:write',
  'orders:read',
  'invoices:read',
  'invoices:reverse',
  'ops:admin',
] as const;
export type Scope = (typeof SCOPES)[number];

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
