import { randomUUID } from 'node:crypto';
import { Global, Logger, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { AuthErrors, AuthModule, PLATFORM_TENANT_ID, TokenVerifier } from '@fapiao/platform/auth';
import { ErrorFilter, type Principal } from '@fapiao/platform/http';
import { MESSAGING_CONFIG, OutboxWriter } from '@fapiao/platform/messaging';
import { dataSourceOptions, UnitOfWork } from '@fapiao/platform/persistence';
import { Clock } from '@fapiao/platform/resilience';
import { SagaEngine } from './saga.engine';
import { SagaModule } from './saga.module';
import { SagaTimer } from './saga.timer';
import { AN_HOUR, createSagaTestDatabase, TEST_SCHEMA } from './saga.test-kit';
import { FakeClock, type TestDatabase } from '@fapiao/testing';
import type { SagaDefinition } from './saga.types';

/** Stands in for the global PersistenceModule and MessagingModule of a service. */
@Global()
@Module({
  providers: [
    UnitOfWork,
    OutboxWriter,
    { provide: MESSAGING_CONFIG, useValue: { outboxMaxMessageBytes: 1_000_000 } },
  ],
  exports: [UnitOfWork, OutboxWriter],
})
class OutboxOnlyModule {}

const TENANT = randomUUID();
const OTHER_TENANT = randomUUID();
/** Bearer token → principal: the real AuthGuard runs, only token verification is faked. */
const PRINCIPALS: Record<string, Principal> = {
  ops: { tenantId: TENANT, clientId: 'cli_ops', scopes: ['ops:read', 'ops:write'] },
  'other-ops': { tenantId: OTHER_TENANT, clientId: 'cli_other', scopes: ['ops:read', 'ops:write'] },
  watcher: { tenantId: TENANT, clientId: 'cli_watcher', scopes: ['ops:read'] },
  platform: {
    tenantId: PLATFORM_TENANT_ID,
    clientId: 'plt_admin',
    scopes: ['platform:admin', 'ops:read', 'ops:write'],
  },
  reader: { tenantId: TENANT, clientId: 'cli_reader', scopes: ['invoices:read'] },
};

const SAGA_ENV = {
  SAGA_SWEEP_INTERVAL_MS: '600000',
  SAGA_MAX_COMPENSATION_ATTEMPTS: '1',
  SAGA_BACKOFF_BASE_MS: '1',
};

describe('saga operator API', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let engine: SagaEngine;
  const clock = new FakeClock();
  const savedEnv = { ...process.env };
  const definition: SagaDefinition<{ orderId: string }> = {
    type: 'ops-spec',
    onStepTimeout: async () => ({ retryInMs: 60_000 }),
    compensate: async () => {
      throw new Error('tax-bridge refused the void');
    },
  };

  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const tx = <T>(work: () => Promise<T>) => app.get(UnitOfWork).run(work);
  const start = async (tenantId = TENANT) => {
    const orderId = randomUUID();
    const { saga } = await tx(() =>
      engine.start({
        type: definition.type,
        id: orderId,
        tenantId,
        correlationId: orderId,
        step: 'AWAITING_AUTHORITY',
        data: { orderId },
        compensations: [{ name: 'void-draft', payload: { orderId } }],
      }),
    );
    return saga;
  };
  /** A saga whose only compensation failed SAGA_MAX_COMPENSATION_ATTEMPTS (1) times. */
  const stuck = async (tenantId = TENANT) => {
    const saga = await start(tenantId);
    await tx(() => engine.fail(saga, 'rejected by the authority'));
    clock.advance(AN_HOUR);
    await app.get(SagaTimer).sweepOnce();
    return saga;
  };

  beforeAll(async () => {
    Object.assign(process.env, SAGA_ENV);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    db = await createSagaTestDatabase();
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(db.config, TEST_SCHEMA)),
        OutboxOnlyModule,
        AuthModule,
        SagaModule.forRoot(),
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .overrideProvider(TokenVerifier)
      .useValue({
        verify: async (token: string) => {
          const principal = PRINCIPALS[token];
          if (!principal) throw AuthErrors.invalidToken('unknown test token');
          return principal;
        },
      })
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    engine = app.get(SagaEngine);
    engine.register(definition);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    process.env = savedEnv;
    jest.restoreAllMocks();
  });

  it('requires ops:read to look and ops:write to act', async () => {
    expect((await http().get('/v1/sagas')).body.code).toBe('AUTH.MISSING_TOKEN');
    const forbidden = await http().get('/v1/sagas').set(as('reader'));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('AUTH.INSUFFICIENT_SCOPE');

    const saga = await stuck();
    expect((await http().get(`/v1/sagas/${saga.id}`).set(as('watcher'))).status).toBe(200);
    const retry = await http().post(`/v1/sagas/${saga.id}/retry`).set(as('watcher'));
    expect(retry.status).toBe(403);
    expect(retry.body).toMatchObject({
      code: 'AUTH.INSUFFICIENT_SCOPE',
      message: 'Requires scope ops:write',
    });
  });

  it("keeps a tenant's operator in its tenant; the platform administrator names the tenant", async () => {
    const mine = await stuck();
    const theirs = await stuck(OTHER_TENANT);

    const naming = await http().get('/v1/sagas').query({ tenantId: OTHER_TENANT }).set(as('ops'));
    expect(naming.status).toBe(403);
    expect(naming.body).toMatchObject({ code: 'AUTH.CROSS_TENANT', field: 'tenantId' });
    const retryTheirs = await http()
      .post(`/v1/sagas/${theirs.id}/retry`)
      .query({ tenantId: OTHER_TENANT })
      .set(as('ops'));
    expect(retryTheirs.status).toBe(403);
    expect((await http().get('/v1/sagas').query({ tenantId: TENANT }).set(as('ops'))).status).toBe(200);

    const unnamed = await http().get('/v1/sagas').set(as('platform'));
    expect(unnamed.status).toBe(422);
    expect(unnamed.body).toMatchObject({ code: 'AUTH.TENANT_REQUIRED', field: 'tenantId' });
    const listed = await http()
      .get('/v1/sagas')
      .query({ tenantId: OTHER_TENANT, pageSize: 200 })
      .set(as('platform'));
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(theirs.id);
    expect(ids).not.toContain(mine.id);
    expect((await http().get(`/v1/sagas/${mine.id}`).set(as('platform'))).status).toBe(200);
    const wrongTenant = await http()
      .get(`/v1/sagas/${mine.id}`)
      .query({ tenantId: OTHER_TENANT })
      .set(as('platform'));
    expect(wrongTenant.status).toBe(404);
    const retried = await http()
      .post(`/v1/sagas/${theirs.id}/retry`)
      .query({ tenantId: OTHER_TENANT })
      .set(as('platform'));
    expect(retried.status).toBe(200);
    expect(retried.body.history.at(-1)).toMatchObject({ event: 'retried', detail: 'by plt_admin' });
  });

  it("lists the caller's tenant's sagas by state and type, paginated", async () => {
    const attention = await stuck();
    const running = await start();
    await stuck(OTHER_TENANT);

    const page = await http()
      .get('/v1/sagas')
      .query({ state: 'NEEDS_ATTENTION', pageSize: 10 })
      .set(as('ops'));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 1, pageSize: 10 });
    expect(page.body.items.map((item: { id: string }) => item.id)).toContain(attention.id);
    expect(page.body.items.every((item: { state: string }) => item.state === 'NEEDS_ATTENTION')).toBe(true);
    expect(page.body.total).toBe(page.body.items.length);

    const all = await http().get('/v1/sagas').query({ type: definition.type, pageSize: 1 }).set(as('ops'));
    expect(all.body.items).toHaveLength(1);
    expect(all.body.total).toBeGreaterThanOrEqual(2);
    const byOrder = await http()
      .get('/v1/sagas')
      .query({ correlationId: running.correlationId })
      .set(as('ops'));
    expect(byOrder.body.items).toEqual([expect.objectContaining({ id: running.id, state: 'RUNNING' })]);

    const invalid = await http().get('/v1/sagas').query({ state: 'SLEEPING' }).set(as('ops'));
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ code: 'REQUEST.INVALID', field: 'state' });
  });

  it('shows one saga with its full history; another tenant gets 404', async () => {
    const saga = await stuck();
    const detail = await http().get(`/v1/sagas/${saga.id}`).set(as('ops'));
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: saga.id,
      state: 'NEEDS_ATTENTION',
      lastError: 'Error: tax-bridge refused the void',
      compensations: [{ name: 'void-draft' }],
    });
    expect(detail.body.history.map((entry: { event: string }) => entry.event)).toEqual([
      'started',
      'failed',
      'compensation_failed',
    ]);
    const foreign = await http().get(`/v1/sagas/${saga.id}`).set(as('other-ops'));
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('SAGA.NOT_FOUND');
  });

  it('retries a NEEDS_ATTENTION saga and refuses to retry one that is not', async () => {
    const saga = await stuck();
    const retried = await http().post(`/v1/sagas/${saga.id}/retry`).set(as('ops'));
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ state: 'COMPENSATING', attempts: 0 });
    expect(retried.body.history.at(-1)).toMatchObject({ event: 'retried', detail: 'by cli_ops' });

    const again = await http().post(`/v1/sagas/${saga.id}/retry`).set(as('ops')).send({ note: 'once more' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SAGA.INVALID_STATE');
  });

  it('resolves a NEEDS_ATTENTION saga with a note, which is required', async () => {
    const saga = await stuck();
    const missing = await http().post(`/v1/sagas/${saga.id}/resolve`).set(as('ops')).send({ note: '  ' });
    expect(missing.status).toBe(422);
    expect(missing.body.field).toBe('note');
    const foreign = await http()
      .post(`/v1/sagas/${saga.id}/resolve`)
      .set(as('other-ops'))
      .send({ note: 'mine' });
    expect(foreign.status).toBe(404);

    const resolved = await http()
      .post(`/v1/sagas/${saga.id}/resolve`)
      .set(as('ops'))
      .send({ note: 'voided at the authority by hand' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: 'RESOLVED', deadlineAt: null });
    expect(resolved.body.history.at(-1)).toMatchObject({
      event: 'resolved',
      fromState: 'NEEDS_ATTENTION',
      toState: 'RESOLVED',
      detail: 'by cli_ops: voided at the authority by hand',
    });
  });

  it('documents the endpoints in OpenAPI', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sagas',
        '/v1/sagas/{id}',
        '/v1/sagas/{id}/retry',
        '/v1/sagas/{id}/resolve',
      ]),
    );
    expect(document.paths['/v1/sagas/{id}/resolve'].post?.requestBody).toBeDefined();
  });
});
