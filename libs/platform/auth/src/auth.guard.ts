import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC, type AuthenticatedRequest } from '@fapiao/platform/http';
import { AuthErrors } from './auth.errors';
import { REQUIRED_SCOPES, type Scope } from './scopes';
import { TokenVerifier } from './token-verifier';

/** Global guard: every route needs a valid token unless marked @Public(); @RequireScopes adds scopes. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw AuthErrors.missingToken();
    const principal = await this.verifier.verify(token);

    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
    if (!required.every((scope) => principal.scopes.includes(scope)))
      throw AuthErrors.insufficientScope(required);
    request.principal = principal;
    return true;
  }
}
