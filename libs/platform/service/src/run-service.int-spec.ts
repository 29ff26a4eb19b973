// The start order Kubernetes needs: the port and /healthz answer before the database does, /readyz says
// what the boot waits for, and the app takes the same port over once the database answers — no restart.
// /metrics lives on METRICS_PORT from the first moment, and never on the HTTP port.
import { createServer } from 'node:net';
import { Module } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import { eventually, MYSQL_URL, tcpProxy, type TcpProxy } from '@fapiao/testing';
import { PlatformModule } from './platform.module';
import { runService } from './run-service';

jest.setTimeout(60_000);

const DATABASE = `it_boot_${process.pid}`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

@Module({
  imports: [
    PlatformModule.forService({
      service: { name: 'boot-check', defaultPort: 3999, defaultDatabase: DATABASE },
      schema: { entities: [], migrations: [] },
      kafka: false,
      auth: false,
    }),
  ],
})
class BootCheckModule {}

const get = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('runService: start order', () => {
  const mysql = new URL(MYSQL_URL);
  let proxy: TcpProxy;
  const saved = { ...process.env };
  const signalListeners = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
  const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);

  beforeAll(async () => {
    const admin = await createConnection({ uri: MYSQL_URL });
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\``);
    await admin.end();
    proxy = await tcpProxy(mysql.hostname, Number(mysql.port || 3306));
    await proxy.up(); // takes a port …
    await proxy.down(); // … and refuses connections on it: the database is unreachable at start.
  });

  afterAll(async () => {
    process.env = saved;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      for (const listener of process.listeners(signal)) {
        if (!signalListeners[signal].includes(listener)) process.removeListener(signal, listener);
      }
    }
    exit.mockRestore();
    await proxy?.down();
    const admin = await createConnection({ uri: MYSQL_URL });
    await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await admin.end();
  });

  it('answers /healthz while the database is unreachable, /readyz 503 waitingFor database, then serves on the same port', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const metricsBase = `http://127.0.0.1:${metricsPort}`;
    Object.assign(process.env, {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DB_HOST: '127.0.0.1',
      DB_PORT: String(proxy.port),
      DB_USER: decodeURIComponent(mysql.username || 'root'),
      DB_PASSWORD: decodeURIComponent(mysql.password),
      DB_NAME: DATABASE,
      DB_CONNECT_TIMEOUT_MS: '500',
    });
    const running = runService(BootCheckModule, { title: 'boot check', description: 'test' });
    let started = false;
    void running.then(() => (started = true));

    await eventually(async () => (await get(`${base}/healthz`)).status === 200, 5_000);
    expect(await get(`${base}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${base}/readyz`)).toEqual({
      status: 503,
      body: expect.objectContaining({ code: 'SERVICE.NOT_READY', waitingFor: ['database'] }),
    });
    expect((await get(`${base}/health/deps`)).body).toMatchObject({ ready: false, waitingFor: ['database'] });
    expect(await get(`${base}/v1/anything`)).toMatchObject({
      status: 503,
      body: { code: 'SERVICE.STARTING' },
    });

    // Across several of TypeORM's connection retries (2 s apart), liveness keeps answering.
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      expect((await get(`${base}/healthz`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(started).toBe(false);
    expect(exit).not.toHaveBeenCalled();
    // A booting pod can be scraped already, on the metrics port.
    expect((await fetch(`${metricsBase}/metrics`)).status).toBe(200);

    await proxy.up();
    await running;
    const ready = await get(`${base}/readyz`);
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ok', details: { database: { status: 'up' } } },
    });
    expect((await get(`${base}/health/deps`)).body).toMatchObject({
      service: 'boot-check',
      ready: true,
      dependencies: [expect.objectContaining({ name: 'database', status: 'up', role: 'required' })],
    });

    // /metrics answers on its own port only: what the Ingress routes to (the HTTP port) has none.
    const metrics = await fetch(`${metricsBase}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('# TYPE http_request_duration_seconds histogram');
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${metricsBase}/readyz`)).status).toBe(404);

    process.emit('SIGTERM', 'SIGTERM');
    await eventually(async () => exit.mock.calls.length > 0, 10_000);
    expect(exit).toHaveBeenCalledWith(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    await expect(fetch(`${metricsBase}/metrics`)).rejects.toThrow();
  });
});
