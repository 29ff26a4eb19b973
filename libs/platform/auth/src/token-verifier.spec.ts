import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { isDomainError } from '@fapiao/contracts';
import type { AuthVerifyConfig } from '@fapiao/platform/config';
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
    server = createServer((_req, res) => {
      jwksRequests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config: AuthVerifyConfig = {
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      clockToleranceSeconds: 0,
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
});
