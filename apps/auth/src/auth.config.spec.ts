import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigValidationError } from '@fapiao/platform/config';
import { authServerConfig } from './auth.config';

const KEY = Buffer.alloc(32, 1).toString('base64');
const SECRET = 'a-platform-secret-of-more-than-32-chars';
const dir = mkdtempSync(join(tmpdir(), 'fapiao-auth-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(vars: NodeJS.ProcessEnv) {
  const saved = process.env;
  process.env = { AUTH_KEY_ENCRYPTION_KEY: KEY, ...vars };
  try {
    return authServerConfig.read();
  } finally {
    process.env = saved;
  }
}

function issues(vars: NodeJS.ProcessEnv): Record<string, string> {
  try {
    read(vars);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(error.issues.map((issue) => [issue.variable, issue.message]));
  }
  throw new Error('expected a ConfigValidationError');
}

describe('auth server config', () => {
  it('bounds the token lifetime by a hard maximum of an hour', () => {
    expect(read({ AUTH_TOKEN_TTL_SECONDS: '3600' }).tokenTtlSeconds).toBe(3600);
    expect(Object.keys(issues({ AUTH_TOKEN_TTL_SECONDS: '3601' }))).toEqual(['AUTH_TOKEN_TTL_SECONDS']);
    expect(Object.keys(issues({ AUTH_SECRET_ROTATION_GRACE_SECONDS: String(31 * 86_400) }))).toEqual([
      'AUTH_SECRET_ROTATION_GRACE_SECONDS',
    ]);
  });

  it('creates no platform client unless configured, and one from a value or a mounted file', () => {
    expect(read({}).bootstrapClients).toEqual([]);
    const file = join(dir, 'secret');
    writeFileSync(file, `${SECRET}\n`);
    const config = read({
      AUTH_PLATFORM_CLIENT_ID: 'plt_admin',
      AUTH_PLATFORM_CLIENT_SECRET_FILE: file,
      AUTH_TENANT_LOOKUP_CLIENT_ID: 'svc_lookup',
      AUTH_TENANT_LOOKUP_CLIENT_SECRET: SECRET,
    });
    expect(config.bootstrapClients.map(({ clientId, scopes }) => ({ clientId, scopes }))).toEqual([
      { clientId: 'plt_admin', scopes: ['platform:admin', 'ops:read', 'ops:write'] },
      { clientId: 'svc_lookup', scopes: ['tenants:lookup'] },
    ]);
    expect(config.bootstrapClients[0].secret.reveal()).toBe(SECRET);
    expect(inspect(config)).not.toContain(SECRET);
  });

  it('names the variable that is missing, malformed or doubled', () => {
    expect(issues({ AUTH_PLATFORM_CLIENT_ID: 'plt_admin' })).toEqual({
      AUTH_PLATFORM_CLIENT_SECRET:
        'AUTH_PLATFORM_CLIENT_SECRET or AUTH_PLATFORM_CLIENT_SECRET_FILE is required with AUTH_PLATFORM_CLIENT_ID',
    });
    expect(Object.keys(issues({ AUTH_TENANT_LOOKUP_CLIENT_SECRET: SECRET }))).toEqual([
      'AUTH_TENANT_LOOKUP_CLIENT_ID',
    ]);
    expect(
      Object.keys(issues({ AUTH_PLATFORM_CLIENT_ID: 'plt admin!', AUTH_PLATFORM_CLIENT_SECRET: SECRET })),
    ).toEqual(['AUTH_PLATFORM_CLIENT_ID']);
    expect(
      Object.keys(issues({ AUTH_PLATFORM_CLIENT_ID: 'plt_admin', AUTH_PLATFORM_CLIENT_SECRET: 'short' })),
    ).toEqual(['AUTH_PLATFORM_CLIENT_SECRET']);
    const file = join(dir, 'also');
    writeFileSync(file, SECRET);
    expect(
      Object.keys(
        issues({
          AUTH_PLATFORM_CLIENT_ID: 'plt_admin',
          AUTH_PLATFORM_CLIENT_SECRET: SECRET,
          AUTH_PLATFORM_CLIENT_SECRET_FILE: file,
        }),
      ),
    ).toEqual(['AUTH_PLATFORM_CLIENT_SECRET_FILE']);
  });
});
