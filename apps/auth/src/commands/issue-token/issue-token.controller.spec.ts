// The token endpoint under attack, in process (issue 14, item 4): a real Nest app with the real
// controller, handler, throttle and secret verifier; only the database and the signing key are fakes.
import { Test } from '@nestjs/testing';
import { decodeJwt, generateKeyPair } from 'jose';
import { PLATFORM_TENANT_ID } from '@fapiao/platform/auth';
import request from 'supertest';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../auth.config';
import { hashClientSecret, UNKNOWN_CLIENT_HASH, verifyClientSecret } from '../../domain/client-secret';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';
import { SecretVerifier } from '../../infrastructure/secret-verifier';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import { SigningKeysService } from '../../signing-keys.service';
import { IssueTokenController } from './issue-token.controller';
import { IssueTokenHandler } from './issue-token.handler';
import { TokenThrottle } from './token-throttle';
import { TrustProxySetting } from './trust-proxy';

type Server = Parameters<typeof request>[0];
type Limits = Partial<AuthServerConfig['tokenEndpoint']>;

const SECRET = 'the-right-secret';
let storedHash: string;
let oldHash: string;
let signingKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

beforeAll(async () => {
  storedHash = await hashClientSecret(SECRET);
  oldHash = await hashClientSecret('the-old-secret');
  signingKey = (await generateKeyPair('RS256')).privateKey;
});

async function startApp(limits: Limits = {}) {
  const config = {
    issuer: 'http://127.0.0.1:3001',
    audience: 'fapiao',
    tokenTtlSeconds: 900,
    tokenEndpoint: {
      perClient: 1000,
      perAddress: 1000,
      windowSeconds: 60,
      hashConcurrency: 2,
      hashQueue: 16,
      trustProxy: false,
      ...limits,
    },
  } as AuthServerConfig;
  const client = (
    tenantId: string | null,
    scopes: string[],
    previousSecretExpiresAt: Date | null = null,
  ) => ({
    tenantId,
    secretHash: storedHash,
    previousSecretHash: previousSecretExpiresAt && oldHash,
    previousSecretExpiresAt,
    scopes,
    revokedAt: null,
  });
  const clients: Record<string, ReturnType<typeof client>> = {
    known: client('t1', ['orders:read']),
    rotated: client('t1', ['orders:read'], new Date(Date.now() + 60_000)),
    'grace-over': client('t1', ['orders:read'], new Date(Date.now() - 1)),
    platform: client(null, ['platform:admin', 'ops:read']),
    // A tenant's client whose row says platform:admin (written by hand): the scope is never signed.
    tainted: client('t1', ['orders:read', 'platform:admin']),
  };
  const findActive = jest.fn((clientId: string) =>
    Promise.resolve(clients[clientId] ? { clientId, ...clients[clientId] } : null),
  );
  const moduleRef = await Test.createTestingModule({
    controllers: [IssueTokenController],
    providers: [
      { provide: AUTH_SERVER_CONFIG, useValue: config },
      { provide: ApiClientRepository, useValue: { findActive } },
      {
        provide: TenantRepository,
        useValue: { findById: () => Promise.resolve({ id: 't1', sellerTaxId: '91440300708461136T' }) },
      },
      {
        provide: SigningKeysService,
        useValue: { activeKey: () => Promise.resolve({ kid: 'k1', privateKey: signingKey }) },
      },
      IssueTokenHandler,
      TokenThrottle,
      SecretVerifier,
      TrustProxySetting,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const verifier = app.get(SecretVerifier);
  const hash = jest.fn(verifyClientSecret);
  verifier.hash = hash;
  return { app, server: app.getHttpServer() as Server, findActive, hash, verifier };
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

const token = (server: Server, authorization?: string, forwardedFor?: string) => {
  const call = request(server).post('/oauth/token').type('form').send({ grant_type: 'client_credentials' });
  if (authorization) void call.set('authorization', authorization);
  if (forwardedFor) void call.set('x-forwarded-for', forwardedFor);
  return call;
};

describe('POST /oauth/token', () => {
  describe('credentials', () => {
    let ctx: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => (ctx = await startApp()));
    afterAll(() => ctx.app.close());
    beforeEach(() => jest.clearAllMocks());

    it('issues a token for the right secret', async () => {
      const response = await token(ctx.server, basic('known', SECRET));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ token_type: 'Bearer', scope: 'orders:read' });
    });

    it('accepts the previous secret during its grace period only, the new one always', async () => {
      expect((await token(ctx.server, basic('rotated', 'the-old-secret'))).status).toBe(200);
      expect((await token(ctx.server, basic('rotated', SECRET))).status).toBe(200);
      expect((await token(ctx.server, basic('grace-over', 'the-old-secret'))).body.code).toBe(
        'AUTH.INVALID_CLIENT',
      );
      expect((await token(ctx.server, basic('grace-over', SECRET))).status).toBe(200);
    });

    it('signs a platform client’s token for the platform pseudo-tenant, without a seller', async () => {
      const response = await token(ctx.server, basic('platform', SECRET));
      expect(response.status).toBe(200);
      const claims = decodeJwt(response.body.access_token as string);
      expect(claims).toMatchObject({ tid: PLATFORM_TENANT_ID, scope: 'platform:admin ops:read' });
      expect(claims.stx).toBeUndefined();
    });

    it('never signs a platform scope for a tenant’s client, whatever its row says', async () => {
      const all = await token(ctx.server, basic('tainted', SECRET));
      expect(all.status).toBe(200);
      expect(all.body.scope).toBe('orders:read');
      const asked = await request(ctx.server)
        .post('/oauth/token')
        .type('form')
        .set('authorization', basic('tainted', SECRET))
        .send({ grant_type: 'client_credentials', scope: 'platform:admin' });
      expect(asked.status).toBe(400);
      expect(asked.body).toMatchObject({ code: 'AUTH.INVALID_SCOPE', error: 'invalid_scope' });
    });

    it('hashes an unknown id’s secret too (against the dummy) before answering 401', async () => {
      const response = await token(ctx.server, basic('nobody', 'guess'));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'AUTH.INVALID_CLIENT', error: 'invalid_client' });
      expect(ctx.hash).toHaveBeenCalledTimes(1);
      expect(ctx.hash).toHaveBeenCalledWith('guess', UNKNOWN_CLIENT_HASH);
    });

    it('hashes a known id’s wrong secret against its own hash', async () => {
      const response = await token(ctx.server, basic('known', 'wrong'));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'AUTH.INVALID_CLIENT' });
      expect(ctx.hash).toHaveBeenCalledWith('wrong', storedHash);
    });

    it.each([
      ['bad base64', 'Basic %%%'],
      ['no colon', `Basic ${Buffer.from('known').toString('base64')}`],
      ['an empty client id', `Basic ${Buffer.from(':secret').toString('base64')}`],
      ['an empty secret', `Basic ${Buffer.from('known:').toString('base64')}`],
      ['non-UTF-8', `Basic ${Buffer.from([0xc3, 0x28, 0x3a, 0x61]).toString('base64')}`],
      ['a bad percent-escape', `Basic ${Buffer.from('%zz:secret').toString('base64')}`],
      ['an oversized header', `Basic ${'A'.repeat(8_000)}`],
    ])(
      'answers malformed Basic credentials (%s) 401 AUTH.MALFORMED_CREDENTIALS, never 500',
      async (_c, header) => {
        const response = await token(ctx.server, header);
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ code: 'AUTH.MALFORMED_CREDENTIALS', error: 'invalid_client' });
        expect(response.headers['www-authenticate']).toBe('Basic realm="fapiao"');
        expect(ctx.findActive).not.toHaveBeenCalled();
      },
    );

    it('answers an over-long body secret 400 AUTH.INVALID_REQUEST', async () => {
      const response = await request(ctx.server)
        .post('/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'known', client_secret: 'x'.repeat(5_000) });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'AUTH.INVALID_REQUEST', error: 'invalid_request' });
    });
  });

  describe('throttling', () => {
    const expectThrottled = (response: request.Response, windowSeconds: number) => {
      expect(response.status).toBe(429);
      expect(response.body).toMatchObject({
        code: 'AUTH.TOO_MANY_REQUESTS',
        error: 'temporarily_unavailable',
      });
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    };

    it('limits requests per client id, whatever address they come from, before any lookup or hash', async () => {
      const ctx = await startApp({ perClient: 3, windowSeconds: 30, trustProxy: ['loopback'] });
      try {
        for (const n of [1, 2, 3])
          expect((await token(ctx.server, basic('known', 'wrong'), `198.51.100.${n}`)).status).toBe(401);
        ctx.hash.mockClear();
        ctx.findActive.mockClear();
        expectThrottled(await token(ctx.server, basic('known', SECRET), '198.51.100.4'), 30);
        expect(ctx.hash).not.toHaveBeenCalled();
        expect(ctx.findActive).not.toHaveBeenCalled();
        // Another client id is not held back by it.
        expect((await token(ctx.server, basic('other', 'x'), '198.51.100.5')).status).toBe(401);
      } finally {
        await ctx.app.close();
      }
    });

    it('limits requests per source address, whatever client ids they name', async () => {
      const ctx = await startApp({ perAddress: 3, windowSeconds: 20 });
      try {
        for (const n of [1, 2, 3]) expect((await token(ctx.server, basic(`id-${n}`, 'x'))).status).toBe(401);
        expectThrottled(await token(ctx.server, basic('known', SECRET)), 20);
        // Counted without credentials too.
        expectThrottled(await token(ctx.server), 20);
      } finally {
        await ctx.app.close();
      }
    });

    it('does not trust X-Forwarded-For by default: a forged one does not escape the address limit', async () => {
      const ctx = await startApp({ perAddress: 3 });
      try {
        for (const n of [1, 2, 3])
          expect((await token(ctx.server, basic(`id-${n}`, 'x'), `203.0.113.${n}`)).status).toBe(401);
        expectThrottled(await token(ctx.server, basic('id-4', 'x'), '203.0.113.4'), 60);
      } finally {
        await ctx.app.close();
      }
    });

    it('with AUTH_TRUST_PROXY naming the proxy, limits each forwarded client address on its own', async () => {
      const ctx = await startApp({ perAddress: 3, trustProxy: ['loopback'] });
      try {
        for (const n of [1, 2, 3, 4, 5])
          expect((await token(ctx.server, basic(`id-${n}`, 'x'), `203.0.113.${n}`)).status).toBe(401);
        for (const n of [1, 2])
          expect((await token(ctx.server, basic(`id-${n}`, 'x'), '203.0.113.9')).status).toBe(401);
        expect((await token(ctx.server, basic('id-3', 'x'), '203.0.113.9')).status).toBe(401);
        expectThrottled(await token(ctx.server, basic('id-4', 'x'), '203.0.113.9'), 60);
      } finally {
        await ctx.app.close();
      }
    });

    it('answers 503 AUTH.BUSY with Retry-After when every hashing slot and queue place is taken', async () => {
      const ctx = await startApp({ hashConcurrency: 1, hashQueue: 1 });
      try {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        ctx.verifier.hash = async () => {
          await gate;
          return false;
        };
        const first = token(ctx.server, basic('a', 'x')).then((r) => r);
        const second = token(ctx.server, basic('b', 'x')).then((r) => r);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const third = await token(ctx.server, basic('c', 'x'));
        expect(third.status).toBe(503);
        expect(third.body).toMatchObject({ code: 'AUTH.BUSY', error: 'temporarily_unavailable' });
        expect(third.headers['retry-after']).toBe('1');
        release();
        expect([(await first).status, (await second).status]).toEqual([401, 401]);
      } finally {
        await ctx.app.close();
      }
    });
  });
});
