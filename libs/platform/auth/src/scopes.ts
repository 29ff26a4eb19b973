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
