import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Who is calling: set by the auth guard from a verified token; the tenant never comes from the body. */
export interface Principal {
  tenantId: string;
  /** The tenant's seller USCC, carried in the token so order intake needs no lookup. */
  sellerTaxId?: string;
  clientId: string;
  scopes: readonly string[];
}

export type AuthenticatedRequest = { principal?: Principal };

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
    return principal;
  },
);
