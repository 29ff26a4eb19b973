// What /readyz and /health/deps answer, through a real Nest app with the error filter, for each role a
// dependency can have: required (down → 503), degradable (down → 200 degraded), informational (deps only).
import { Injectable, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ErrorFilter } from '@fapiao/platform/http';
import { HealthModule } from './health.module';
import { sanitizeDetail } from './health.service';
import { LifecycleService } from './lifecycle.service';
import type { ReadinessCheck } from './readiness';

const state = { database: true, kafka: true, authority: 'up' as 'up' | 'degraded' | 'down' };

@Injectable()
class FakeDatabase implements ReadinessCheck {
  constructor(private readonly indicator: HealthIndicatorService) {}
  check(): PromiseLike<HealthIndicatorResult> {
    return this.indicator.check('database').attempt(() => {
      if (!state.database) throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
      return { database: 'fapiao_order' };
    });
  }
}

@Injectable()
class FakeKafka implements ReadinessCheck {
  constructor(private readonly indicator: HealthIndicatorService) {}
  check(): PromiseLike<HealthIndicatorResult> {
    return this.indicator.check('kafka').attempt(() => {
      if (!state.kafka) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      return { brokers: 1 };
    });
  }
}

/** Lives in the app module and depends on one of its providers, like tax-bridge's AuthorityDependency. */
@Injectable()
class AppOwned {
  readonly password = 'never shown';
}

@Injectable()
class FakeAuthority implements ReadinessCheck {
  constructor(
    private readonly owned: AppOwned,
    private readonly indicator: HealthIndicatorService,
  ) {}
  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('authority');
    const data = {
      url: 'https://client:s3cr3t@authority.example/api',
      password: this.owned.password,
      lastError: 'x'.repeat(1_000),
    };
    return state.authority === 'up'
      ? session.up(data)
      : state.authority === 'degraded'
        ? session.degraded(data)
        : session.down(data);
  }
}

function appModule(whileKafkaDown: 'required' | 'degradable') {
  @Module({
    imports: [
      HealthModule.forRoot({
        service: 'order',
        required: whileKafkaDown === 'required' ? [FakeDatabase, FakeKafka] : [FakeDatabase],
        degradable: whileKafkaDown === 'degradable' ? [FakeKafka] : [],
        informational: [FakeAuthority],
      }),
    ],
    providers: [{ provide: APP_FILTER, useClass: ErrorFilter }, AppOwned, FakeAuthority],
  })
  class AppModule {}
  return AppModule;
}

async function start(whileKafkaDown: 'required' | 'degradable') {
  const moduleRef = await Test.createTestingModule({ imports: [appModule(whileKafkaDown)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('health: /readyz and /health/deps by dependency role', () => {
  beforeEach(() => Object.assign(state, { database: true, kafka: true, authority: 'up' }));

  describe('Kafka degradable (order)', () => {
    let app: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => (app = await start('degradable')));
    afterAll(() => app.close());

    it('is ready with everything up', async () => {
      const response = await request(app.getHttpServer()).get('/readyz');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'ok', details: { kafka: { status: 'up' } } });
      expect(response.body.degraded).toBeUndefined();
    });

    it('stays ready with Kafka down, naming it as degraded', async () => {
      state.kafka = false;
      const response = await request(app.getHttpServer()).get('/readyz');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'degraded',
        degraded: ['kafka'],
        details: { kafka: { status: 'degraded', message: expect.stringContaining('ECONNREFUSED') } },
      });
    });

    it('is not ready without its database, whatever Kafka does', async () => {
      state.database = false;
      state.kafka = false;
      const response = await request(app.getHttpServer()).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ code: 'SERVICE.NOT_READY' });
    });

    it('is not ready while draining', async () => {
      const lifecycle = app.get(LifecycleService);
      const draining = jest.spyOn(lifecycle, 'draining', 'get').mockReturnValue(true);
      try {
        expect((await request(app.getHttpServer()).get('/readyz')).status).toBe(503);
        const deps = await request(app.getHttpServer()).get('/health/deps');
        expect(deps.body).toMatchObject({ ready: false, draining: true });
      } finally {
        draining.mockRestore();
      }
    });

    it('shows every dependency as it is on /health/deps, with role, latency and detail', async () => {
      state.kafka = false;
      state.authority = 'down';
      const response = await request(app.getHttpServer()).get('/health/deps');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ service: 'order', status: 'degraded', ready: true });
      const byName = Object.fromEntries(
        (response.body.dependencies as { name: string }[]).map((dep) => [dep.name, dep]),
      );
      expect(byName).toEqual({
        database: {
          name: 'database',
          status: 'up',
          role: 'required',
          latencyMs: expect.any(Number),
          detail: { database: 'fapiao_order' },
        },
        kafka: {
          name: 'kafka',
          status: 'down',
          role: 'degradable',
          latencyMs: expect.any(Number),
          detail: { message: expect.stringContaining('ECONNREFUSED') },
        },
        authority: expect.objectContaining({ name: 'authority', status: 'down', role: 'informational' }),
      });
      // The authority is informational: its outage never reaches readiness.
      expect((await request(app.getHttpServer()).get('/readyz')).status).toBe(200);
    });

    it('never shows secrets on /health/deps', async () => {
      const response = await request(app.getHttpServer()).get('/health/deps');
      const text = JSON.stringify(response.body);
      expect(text).not.toContain('s3cr3t');
      expect(text).not.toContain('never shown');
      expect(text).toContain('https://***@authority.example/api');
      const authority = (
        response.body.dependencies as { name: string; detail: { lastError: string } }[]
      ).find((dep) => dep.name === 'authority');
      expect(authority?.detail.lastError.length).toBeLessThanOrEqual(301);
    });

    it('reports a required dependency down as error, not ready', async () => {
      state.database = false;
      const response = await request(app.getHttpServer()).get('/health/deps');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'error', ready: false });
    });
  });

  describe('Kafka required (consuming services: invoice, tax-bridge, reconciliation)', () => {
    let app: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => (app = await start('required')));
    afterAll(() => app.close());

    it('is not ready with Kafka down, naming it', async () => {
      state.kafka = false;
      const response = await request(app.getHttpServer()).get('/readyz');
      expect(response.status).toBe(503);
      expect(JSON.stringify(response.body)).toContain('"kafka":{');
      expect(JSON.stringify(response.body)).toContain('"status":"down"');
    });
  });

  it('masks URL credentials in any text', () => {
    expect(sanitizeDetail({ message: 'connect to mysql://root:pw@db:3306 failed' })).toEqual({
      message: 'connect to mysql://***@db:3306 failed',
    });
  });
});
