import type { ExecutionContext } from '@nestjs/common';
import { Secret } from '@fapiao/platform/config';
import type { SimConfig } from '../sim.config';
import { AdminTokenGuard } from './admin-token.guard';

const TOKEN = 'a-long-enough-admin-token';
const guard = (adminToken: string | null) =>
  new AdminTokenGuard({ adminToken: adminToken === null ? null : new Secret(adminToken) } as SimConfig);
const request = (authorization?: unknown) =>
  ({
    switchToHttp: () => ({ getRequest: () => ({ headers: { authorization } }) }),
  }) as unknown as ExecutionContext;

describe('AdminTokenGuard', () => {
  it('lets the admin token through', () => {
    expect(guard(TOKEN).canActivate(request(`Bearer ${TOKEN}`))).toBe(true);
    expect(guard(TOKEN).canActivate(request(`bearer ${TOKEN}`))).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another token', 'Bearer a-long-enough-admin-tokex'],
    ['a prefix of it', 'Bearer a-long'],
    ['it with more', `Bearer ${TOKEN}x`],
    ['it without the scheme', TOKEN],
    ['Basic', `Basic ${TOKEN}`],
    ['several headers', [`Bearer ${TOKEN}`]],
  ])('refuses %s with 401 SIM.ADMIN_TOKEN_REQUIRED', (_name, header) => {
    expect(() => guard(TOKEN).canActivate(request(header))).toThrow(
      expect.objectContaining({ kind: 'unauthenticated', code: 'SIM.ADMIN_TOKEN_REQUIRED' }),
    );
  });

  it('is open without a token, which the configuration allows on loopback only', () => {
    expect(guard(null).canActivate(request())).toBe(true);
  });
});
