import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { isDomainError } from '@fapiao/contracts';
import type { AuthVerifyConfig } from '@fapiao/platform/config';
import { MAX_TOKEN_TTL_SECONDS, PLATFORM_TENANT_ID } from './platform-principal';
import { TokenVerifier } from './token-verifier';

const ISSUER = 'http://auth.test';
const AUDIENCE = 'fapiao';

interface Key {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('TokenVerifier', () => {
  let server: Server;
  let published: Key[];
  let jwksRequests = 0;
  let revoked: string[] = [];
  let revocationRequests = 0;
  let revocationsDown = false;
  let verifier: TokenVerifier;
  let current: Key;

  const sign = (claims: Record<string, unknown> = {}, key: Key = current, expiresIn = '5m') =>
    new SignJWT({ tid: 'tenant-1', scope: 'orders:read orders:write', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('cli_1')
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key.privateKey);

  const codeOf = async (token: string) => {
    try {
      await verifier.verify(token);
      return 'accepted';
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return error.code;
    }
  };

  beforeAll(async () => {
    current = await newKey('k1');
    published = [current];
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/revocations') {
        revocationRequests += 1;
        if (revocationsDown) res.statusCode = 503;
        const clients = revoked.map((clientId) => ({ clientId, revokedAt: new Date().toISOString() }));
        res.end(JSON.stringify({ clients }));
        return;
      }
      jwksRequests += 1;
      res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config: AuthVerifyConfig = {
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      clockToleranceSeconds: 0,
      revocationsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/revocations`,
      revocationCacheMs: 5_000,
    };
    verifier = new TokenVerifier(config);
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('accepts a valid token and exposes tenant, client and scopes', async () => {
    await expect(verifier.verify(await sign({ stx: '91440300708461136T' }))).resolves.toEqual({
      tenantId: 'tenant-1',
      sellerTaxId: '91440300708461136T',
      clientId: 'cli_1',
      scopes: ['orders:read', 'orders:write'],
    });
  });

  it('refuses alg none', async () => {
    const [, payload] = (await sign()).split('.');
    expect(await codeOf(`${b64({ alg: 'none', kid: 'k1' })}.${payload}.`)).toBe('AUTH.INVALID_TOKEN');
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const { createHmac } = await import('node:crypto');
    const header = b64({ alg: 'HS256', kid: 'k1', typ: 'JWT' });
    const [, payload] = (await sign()).split('.');
    const secret = JSON.stringify(current.publicJwk);
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect(await codeOf(`${header}.${payload}.${signature}`)).toBe('AUTH.INVALID_TOKEN');
  });

  it('refuses a wrong issuer or audience', async () => {
    const wrongIssuer = await new SignJWT({ tid: 't' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('http://evil.test')
      .setAudience(AUDIENCE)
      .setSubject('cli_1')
      .setExpirationTime('5m')
      .sign(current.privateKey);
    const wrongAudience = await new SignJWT({ tid: 't' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('someone-else')
      .setSubject('cli_1')
      .setExpirationTime('5m')
      .sign(current.privateKey);
    expect(await codeOf(wrongIssuer)).toBe('AUTH.INVALID_CLAIMS');
    expect(await codeOf(wrongAudience)).toBe('AUTH.INVALID_CLAIMS');
  });

  it('refuses an expired token', async () => {
    expect(await codeOf(await sign({}, current, '-1m'))).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('refuses a token signed by a key the JWKS does not publish', async () => {
    expect(await codeOf(await sign({}, await newKey('unknown-kid')))).toBe('AUTH.UNKNOWN_KEY');
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await sign()).split('.');
    const forged = b64({ tid: 'other-tenant', sub: 'cli_1', iss: ISSUER, aud: AUDIENCE, exp: 9999999999 });
    expect(await codeOf(`${header}.${forged}.${signature}`)).toBe('AUTH.INVALID_TOKEN');
  });

  it('refuses a token without a tenant', async () => {
    expect(await codeOf(await sign({ tid: undefined }))).toBe('AUTH.INVALID_CLAIMS');
  });

  it('refetches the key set when a rotated key appears', async () => {
    const rotated = await newKey('k2');
    published = [rotated, current];
    const before = jwksRequests;
    // Step past the refetch cooldown that the earlier unknown-kid lookup started.
    jest.useFakeTimers({ advanceTimers: true, now: Date.now() + 11_000 });
    try {
      await expect(verifier.verify(await sign({}, rotated))).resolves.toMatchObject({ tenantId: 'tenant-1' });
      await expect(verifier.verify(await sign({}, current))).resolves.toMatchObject({ tenantId: 'tenant-1' });
    } finally {
      jest.useRealTimers();
    }
    expect(jwksRequests).toBeGreaterThan(before);
  });

  it('refuses a platform scope in a tenant client’s token, accepts it in a platform client’s', async () => {
    expect(await codeOf(await sign({ scope: 'orders:read platform:admin' }))).toBe('AUTH.INVALID_CLAIMS');
    expect(await codeOf(await sign({ scope: 'tenants:lookup' }))).toBe('AUTH.INVALID_CLAIMS');
    await expect(
      verifier.verify(await sign({ tid: PLATFORM_TENANT_ID, scope: 'platform:admin' })),
    ).resolves.toMatchObject({ tenantId: PLATFORM_TENANT_ID, scopes: ['platform:admin'] });
  });

  it('refuses a token that lives longer than MAX_TOKEN_TTL_SECONDS, or says not when it was issued', async () => {
    expect(await codeOf(await sign({}, current, `${MAX_TOKEN_TTL_SECONDS + 60}s`))).toBe(
      'AUTH.INVALID_CLAIMS',
    );
    const undated = await new SignJWT({ tid: 'tenant-1' })
      .setProtectedHeader({ alg: 'RS256', kid: current.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('cli_1')
      .setExpirationTime('5m')
      .sign(current.privateKey);
    expect(await codeOf(undated)).toBe('AUTH.INVALID_CLAIMS');
  });

  it('refuses a revoked client’s token once its cached revocation list is older than the cache time', async () => {
    jest.useFakeTimers({ advanceTimers: true, now: Date.now() + 60_000 });
    try {
      const token = await sign();
      await expect(verifier.verify(token)).resolves.toMatchObject({ clientId: 'cli_1' });
      const fetched = revocationRequests;
      revoked = ['cli_1'];
      // Within the cache time the list is not fetched again (no call to auth per request) …
      jest.advanceTimersByTime(4_000);
      await expect(verifier.verify(token)).resolves.toMatchObject({ clientId: 'cli_1' });
      expect(revocationRequests).toBe(fetched);
      // … and after it the revoked client is refused.
      jest.advanceTimersByTime(1_001);
      expect(await codeOf(token)).toBe('AUTH.CLIENT_REVOKED');
      expect(await codeOf(token)).toBe('AUTH.CLIENT_REVOKED');
      expect(revocationRequests).toBe(fetched + 1);

      // While auth cannot answer, the last list stays in force.
      revocationsDown = true;
      jest.advanceTimersByTime(5_001);
      expect(await codeOf(token)).toBe('AUTH.CLIENT_REVOKED');
    } finally {
      jest.useRealTimers();
      revoked = [];
      revocationsDown = false;
    }
  });

  it('checks a token’s signature once a minute, never past its expiry', async () => {
    jest.useFakeTimers({ advanceTimers: true, now: Date.now() + 120_000 });
    const signatures = jest.spyOn(crypto.subtle, 'verify');
    try {
      const token = await sign({}, current, '90s');
      await verifier.verify(token);
      await expect(verifier.verify(token)).resolves.toMatchObject({ clientId: 'cli_1' });
      expect(signatures).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(60_000);
      await verifier.verify(token);
      expect(signatures).toHaveBeenCalledTimes(2);
      // Trusted again for a minute, but only until its exp, 90 s after it was issued.
      jest.advanceTimersByTime(31_000);
      expect(await codeOf(token)).toBe('AUTH.TOKEN_EXPIRED');
    } finally {
      signatures.mockRestore();
      jest.useRealTimers();
    }
  });
});
