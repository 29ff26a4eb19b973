import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { isDomainError } from '@fapiao/contracts';
import { Public } from '@fapiao/platform/http';
import { AuthGuard } from './auth.guard';
import { RequireScopes } from './scopes';
import type { TokenVerifier } from './token-verifier';

@Controller()
class Routes {
  @Public()
  @Get('open')
  open() {
    return 'open';
  }

  @RequireScopes('orders:write')
  @Get('write')
  write() {
    return 'written';
  }
}

const contextFor = (handler: keyof Routes, authorization?: string) => {
  const request: Record<string, unknown> = { headers: authorization ? { authorization } : {} };
  return {
    request,
    context: {
      getType: () => 'http',
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext,
  };
};

describe('AuthGuard', () => {
  const verifier = { verify: jest.fn() } as unknown as TokenVerifier & { verify: jest.Mock };
  const guard = new AuthGuard(new Reflector(), verifier);
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (error: unknown) => (isDomainError(error) ? error.code : String(error)),
    );

  it('lets public routes through without a token', async () => {
    await expect(guard.canActivate(contextFor('open').context)).resolves.toBe(true);
  });

  it('requires a bearer token elsewhere', async () => {
    expect(await codeOf(guard.canActivate(contextFor('write').context))).toBe('AUTH.MISSING_TOKEN');
    expect(await codeOf(guard.canActivate(contextFor('write', 'Basic abc').context))).toBe(
      'AUTH.MISSING_TOKEN',
    );
  });

  it('enforces scopes and attaches the principal', async () => {
    verifier.verify.mockResolvedValueOnce({ tenantId: 't', clientId: 'c', scopes: ['orders:read'] });
    expect(await codeOf(guard.canActivate(contextFor('write', 'Bearer x').context))).toBe(
      'AUTH.INSUFFICIENT_SCOPE',
    );

    const principal = { tenantId: 't', clientId: 'c', scopes: ['orders:write'] };
    verifier.verify.mockResolvedValueOnce(principal);
    const { context, request } = contextFor('write', 'Bearer x');
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.principal).toEqual(principal);
  });
});
