/**
 * auth's client lifecycle against the real MariaDB: the migration (platform clients without a tenant,
 * ops:admin rewritten to the tenant operator scopes), platform clients created idempotently at boot,
 * rotation with a grace period, revocation and the revocation list.
 */
import { randomUUID } from 'node:crypto';
import { Secret } from '@fapiao/platform/config';
import { createTestDatabase, type TestDatabase } from '@fapiao/testing';
import type { AuthServerConfig } from '../auth.config';
import { RotateClientSecretHandler } from '../commands/rotate-client-secret/rotate-client-secret.handler';
import { acceptedSecretHashes } from '../domain/api-client';
import { hashClientSecret, verifyClientSecret } from '../domain/client-secret';
import { PlatformClients } from '../platform-clients.service';
import { AUTH_SCHEMA } from '../schema';
import { ApiClientEntity } from './api-client.entity';
import { ClientLifecycle1764400000000 } from './migrations/1764400000000-client-lifecycle';
import { TypeOrmApiClientRepository } from './api-client.repository';
import { TenantEntity } from './tenant.entity';

jest.setTimeout(60_000);

const PLATFORM_SECRET = 'p'.repeat(40);

describe('API clients (MySQL)', () => {
  let db: TestDatabase;
  let clients: TypeOrmApiClientRepository;
  let tenantId: string;

  const config = (secret = PLATFORM_SECRET) =>
    ({
      secretRotationGraceSeconds: 60,
      bootstrapClients: [
        {
          clientId: 'plt_install',
          secret: new Secret(secret),
          name: 'platform administrator',
          scopes: ['platform:admin', 'ops:read', 'ops:write'],
        },
      ],
    }) as unknown as AuthServerConfig;

  const tenantClient = async (scopes: string[]) => {
    const client = new ApiClientEntity();
    client.clientId = `cli_${randomUUID().slice(0, 8)}`;
    client.tenantId = tenantId;
    client.name = 'erp';
    client.secretHash = await hashClientSecret('old-secret');
    client.previousSecretHash = null;
    client.previousSecretExpiresAt = null;
    client.scopes = scopes;
    client.revokedAt = null;
    return clients.save(client);
  };

  beforeAll(async () => {
    db = await createTestDatabase(AUTH_SCHEMA, 'it_auth_');
    clients = new TypeOrmApiClientRepository(db.dataSource.getRepository(ApiClientEntity));
    tenantId = randomUUID();
    await db.dataSource
      .getRepository(TenantEntity)
      .insert({ id: tenantId, name: 'T', sellerTaxId: '91440300708461136T' });
  });
  afterAll(() => db?.drop());

  it('migrates an ops:admin client to ops:read and ops:write, and back', async () => {
    const latest = ClientLifecycle1764400000000;
    const runner = db.dataSource.createQueryRunner();
    try {
      await new latest().down(runner);
      await runner.query(
        `INSERT INTO api_clients (client_id, tenant_id, name, secret_hash, scopes) VALUES (?, ?, 'old', 'x', ?)`,
        ['cli_legacy', tenantId, JSON.stringify(['orders:read', 'ops:admin'])],
      );
      await new latest().up(runner);
      expect((await clients.findById('cli_legacy'))?.scopes).toEqual([
        'orders:read',
        'ops:read',
        'ops:write',
      ]);
    } finally {
      await runner.release();
    }
  });

  it('creates the platform client at boot once, and takes a changed secret from its Secret', async () => {
    await new PlatformClients(config(), clients).onModuleInit();
    const created = await clients.findById('plt_install');
    expect(created).toMatchObject({ tenantId: null, scopes: ['platform:admin', 'ops:read', 'ops:write'] });
    await new PlatformClients(config(), clients).onModuleInit();
    expect((await clients.findById('plt_install'))?.secretHash).toBe(created?.secretHash);

    await new PlatformClients(config('q'.repeat(40)), clients).onModuleInit();
    const updated = await clients.findById('plt_install');
    await expect(verifyClientSecret('q'.repeat(40), updated?.secretHash ?? '')).resolves.toBe(true);
    await expect(verifyClientSecret(PLATFORM_SECRET, updated?.secretHash ?? '')).resolves.toBe(false);
  });

  it("refuses to turn a tenant's client into a platform client", async () => {
    const taken = await tenantClient(['orders:read']);
    const wanted = { ...config().bootstrapClients[0], clientId: taken.clientId };
    await expect(new PlatformClients(config(), clients).ensure(wanted)).rejects.toThrow(
      "is a tenant's client",
    );
  });

  it('rotates a secret: both work during the grace period, the old one not after', async () => {
    const client = await tenantClient(['orders:read']);
    const { clientSecret } = await new RotateClientSecretHandler(config(), clients).execute(
      tenantId,
      client.clientId,
    );
    const stored = (await clients.findById(client.clientId)) as ApiClientEntity;
    const works = async (secret: string, at: Date) => {
      for (const hash of acceptedSecretHashes(stored, at))
        if (await verifyClientSecret(secret, hash)) return true;
      return false;
    };
    const now = new Date();
    expect(await works(clientSecret, now)).toBe(true);
    expect(await works('old-secret', now)).toBe(true);
    expect(await works('old-secret', new Date(now.getTime() + 61_000))).toBe(false);
    expect(await works(clientSecret, new Date(now.getTime() + 61_000))).toBe(true);

    await expect(
      new RotateClientSecretHandler(config(), clients).execute(randomUUID(), client.clientId),
    ).rejects.toMatchObject({ code: 'CLIENT.NOT_FOUND' });
  });

  it("lists a tenant's clients and the recently revoked ones", async () => {
    const kept = await tenantClient(['orders:read']);
    const revoked = await tenantClient(['orders:read']);
    revoked.revokedAt = new Date();
    await clients.save(revoked);
    const listed = (await clients.listByTenant(tenantId)).map((client) => client.clientId);
    expect(listed).toEqual(expect.arrayContaining([kept.clientId, revoked.clientId]));
    const recent = (await clients.revokedSince(new Date(Date.now() - 60_000))).map((c) => c.clientId);
    expect(recent).toContain(revoked.clientId);
    expect(recent).not.toContain(kept.clientId);
    expect(await clients.revokedSince(new Date(Date.now() + 1_000))).toEqual([]);
    expect(await clients.findActive(revoked.clientId)).toBeNull();
  });
});
