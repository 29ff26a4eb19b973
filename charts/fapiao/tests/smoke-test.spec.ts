// The `helm test` script (files/smoke-test.js) run for real against stand-in services on loopback:
// it must pass only when every component is ready and the token endpoint rejects an unknown client.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartDir } from './helm';

const script = readFileSync(join(chartDir, 'files/smoke-test.js'), 'utf8');

interface Behaviour {
  readyStatus: number;
  tokenStatus: number;
  tokenBody: unknown;
}

let server: Server;
let base: string;
const behaviour: Behaviour = { readyStatus: 200, tokenStatus: 401, tokenBody: {} };
const tokenRequests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.method === 'GET' && request.url?.endsWith('/readyz')) {
        response.writeHead(request.url.startsWith('/broken') ? 503 : behaviour.readyStatus).end();
      } else if (request.method === 'POST' && request.url === '/oauth/token') {
        tokenRequests.push(`${request.headers['content-type']} ${body}`);
        response
          .writeHead(behaviour.tokenStatus, { 'content-type': 'application/json' })
          .end(JSON.stringify(behaviour.tokenBody));
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function runSmokeTest(readyPaths: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const readyUrls = Object.fromEntries(
    Object.entries(readyPaths).map(([name, path]) => [name, `${base}${path}`]),
  );
  const child = spawn(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH,
      READY_URLS: JSON.stringify(readyUrls),
      TOKEN_URL: `${base}/oauth/token`,
      REQUEST_TIMEOUT_MS: '2000',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

beforeEach(() => {
  Object.assign(behaviour, {
    readyStatus: 200,
    tokenStatus: 401,
    tokenBody: { code: 'AUTH.INVALID_CLIENT' },
  });
  tokenRequests.length = 0;
});

test('passes when every component is ready and an unknown client gets 401 AUTH.INVALID_CLIENT', async () => {
  const { code, output } = await runSmokeTest({ auth: '/auth/readyz', order: '/order/readyz' });
  expect(output).toContain('ok   auth ready');
  expect(output).toContain('ok   token endpoint rejects an unknown client');
  expect(code).toBe(0);
  expect(tokenRequests).toEqual([
    expect.stringMatching(/^application\/x-www-form-urlencoded grant_type=client_credentials&client_id=/),
  ]);
});

test('fails when one component is not ready', async () => {
  const { code, output } = await runSmokeTest({ auth: '/auth/readyz', order: '/broken/readyz' });
  expect(output).toMatch(/FAIL order ready: GET .* answered 503/);
  expect(code).toBe(1);
});

test('fails when the token endpoint does not reject the unknown client as expected', async () => {
  Object.assign(behaviour, { tokenStatus: 200, tokenBody: { access_token: 'x' } });
  expect((await runSmokeTest({ auth: '/auth/readyz' })).code).toBe(1);
  Object.assign(behaviour, { tokenStatus: 401, tokenBody: { code: 'SOMETHING.ELSE' } });
  expect((await runSmokeTest({ auth: '/auth/readyz' })).code).toBe(1);
});
