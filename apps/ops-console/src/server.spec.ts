import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { OpsConsoleConfig } from './ops-console.config';
import { createConsoleServer } from './server';

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

describe('console server', () => {
  let upstream: Server;
  let consoleServer: Server;
  let url: string;
  let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string } | undefined;

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen = { method: request.method, url: request.url, headers: request.headers, body };
        response.writeHead(409, { 'content-type': 'application/json', 'set-cookie': 'x=1' });
        response.end('{"code":"SAGA.INVALID_STATE"}');
      });
    });
    const upstreamUrl = await listen(upstream);
    const web = mkdtempSync(join(tmpdir(), 'console-web-'));
    writeFileSync(join(web, 'index.html'), '<div id="root"></div>');
    const config: OpsConsoleConfig = {
      port: 0,
      upstreams: {
        auth: upstreamUrl,
        order: upstreamUrl,
        invoice: upstreamUrl,
        'tax-bridge': upstreamUrl,
        // Nothing listens there: the console answers 502 itself.
        reconciliation: 'http://127.0.0.1:1',
      },
      jaegerUiUrl: 'http://jaeger:16686',
    };
    consoleServer = createConsoleServer(config, web);
    url = await listen(consoleServer);
  });

  afterAll(() => {
    upstream.close();
    consoleServer.close();
  });

  it("passes the caller's token and body to the service and its answer back; cookies stay behind", async () => {
    const response = await fetch(`${url}/api/invoice/v1/sagas/s-1/retry?tenantId=t`, {
      method: 'POST',
      headers: { authorization: 'Bearer abc', cookie: 'session=secret', 'content-type': 'application/json' },
      body: '{"note":"n"}',
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ code: 'SAGA.INVALID_STATE' });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/v1/sagas/s-1/retry?tenantId=t',
      body: '{"note":"n"}',
    });
    expect(seen?.headers.authorization).toBe('Bearer abc');
    expect(seen?.headers.cookie).toBeUndefined();
  });

  it('answers 502 naming the service it cannot reach, 404 for no service', async () => {
    const unreachable = await fetch(`${url}/api/reconciliation/v1/reconciliation/discrepancies`);
    expect(unreachable.status).toBe(502);
    expect(await unreachable.json()).toMatchObject({ code: 'CONSOLE.UPSTREAM_UNREACHABLE' });
    const unknown = await fetch(`${url}/api/tax-authority-sim/v1/faults`);
    expect(unknown.status).toBe(404);
  });

  it('serves the page for client-side paths, its config, and readiness', async () => {
    expect(await (await fetch(`${url}/sagas`)).text()).toContain('id="root"');
    expect(await (await fetch(`${url}/config.json`)).json()).toEqual({ jaegerUiUrl: 'http://jaeger:16686' });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(`${url}/assets/missing.js`)).status).toBe(404);
  });
});
