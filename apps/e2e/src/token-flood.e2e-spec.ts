/**
 * The token endpoint under attack (issue 14, item 4), on auth running as a process: malformed Basic
 * credentials are refused with a stable code (never 500), and a flood of token requests, good and bad
 * secrets, known and unknown ids, from many source addresses at once, is throttled (429 + Retry-After) or
 * shed (503 AUTH.BUSY) while JWKS and readiness keep answering fast.
 *
 * auth runs with AUTH_TRUST_PROXY=loopback, so this test can play a distributed flood by naming a new
 * source address per request in X-Forwarded-For: the per-address limit then catches little, and what
 * keeps auth responsive is the bound on concurrent secret hashes. The flood runs in a child process, so
 * the latency measured here is auth's, not this test process's own event loop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dropSchemas, MYSQL_URL, suiteModule, type Suite } from '@fapiao/testing';

jest.setTimeout(240_000);

const DB_PREFIX = 'e2e_token_flood_';
const PORT_OFFSET = 1100;
const FLOOD_REQUESTS = 3_000;
/**
 * Requests per second, open loop: 300/s is hundreds of times what clients that cache their tokens send,
 * and enough that unbounded hashing would take every core. (A closed loop of many connections answered
 * as fast as auth can measures raw HTTP throughput instead: that flood is for the ingress to cap.)
 */
const FLOOD_RATE = Number(process.env['FLOOD_RATE'] ?? 300);
const PER_CLIENT = 60;

interface OAuthError {
  code: string;
  error: string;
}

interface FloodReport {
  total: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  retryAfterMissing: number;
  goodSecretOk: number;
  elapsedMs: number;
  /** How long each answer took, in ms. */
  answerMs: number[];
}

/** The flood itself: a child process sending FLOOD_RATE requests a second, prints a FloodReport as JSON. */
const FLOOD_SCRIPT = `
const { url, clientId, clientSecret, total, rate } = JSON.parse(process.env.FLOOD);
const report = { total, byStatus: {}, byCode: {}, retryAfterMissing: 0, goodSecretOk: 0, elapsedMs: 0, answerMs: [] };
const count = (map, key) => (map[key] = (map[key] ?? 0) + 1);
const basic = (id, secret) => 'Basic ' + Buffer.from(id + ':' + secret).toString('base64');
const randomAddress = () => '10.' + [0, 0, 0].map(() => Math.floor(Math.random() * 256)).join('.');
async function one(n) {
  const kind = n % 3; // 0: the right secret, 1: a wrong one for the real id, 2: an id that does not exist
  const authorization =
    kind === 0 ? basic(clientId, clientSecret)
    : kind === 1 ? basic(clientId, 'wrong-' + n)
    : basic('no-such-client-' + n, 'guess-' + n);
  // Most requests from an address of their own (a distributed flood), every tenth from one hot address.
  const forwarded = n % 10 === 0 ? '192.0.2.1' : randomAddress();
  const sentAt = performance.now();
  try {
    const response = await fetch(url + '/oauth/token', {
      method: 'POST',
      headers: { authorization, 'x-forwarded-for': forwarded, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(60000),
    });
    const body = await response.json().catch(() => ({}));
    report.answerMs.push(performance.now() - sentAt);
    count(report.byStatus, response.status);
    count(report.byCode, body.code ?? 'none');
    const retryAfter = response.headers.get('retry-after') ?? '';
    if ((response.status === 429 || response.status === 503) && !/^[1-9][0-9]*$/.test(retryAfter))
      report.retryAfterMissing += 1;
    if (kind === 0 && response.status === 200) report.goodSecretOk += 1;
  } catch (error) {
    count(report.byStatus, 'error:' + (error.name ?? 'unknown'));
  }
}
// Open loop: requests leave at a fixed rate whether or not earlier ones were answered, as an attacker's do.
const started = Date.now();
const pending = [];
let sent = 0;
const timer = setInterval(() => {
  const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
  while (sent < due) pending.push(one(sent++));
  if (sent >= total) {
    clearInterval(timer);
    Promise.all(pending).then(() => {
      report.elapsedMs = Date.now() - started;
      process.stdout.write(JSON.stringify(report));
    });
  }
}, 5);
`;

function runFlood(url: string, clientId: string, clientSecret: string): Promise<FloodReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FLOOD_SCRIPT], {
      env: {
        ...process.env,
        FLOOD: JSON.stringify({
          url,
          clientId,
          clientSecret,
          total: FLOOD_REQUESTS,
          rate: FLOOD_RATE,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as FloodReport)
        : reject(new Error(`flood exited ${code}: ${err}`)),
    );
  });
}

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

describe('token flood: auth stays up while its token endpoint is attacked', () => {
  let suite: Suite;
  let authUrl: string;
  const logs: string[] = [];

  beforeAll(async () => {
    await dropSchemas(MYSQL_URL, DB_PREFIX);
    const { startSuite } = await suiteModule();
    suite = await startSuite({
      mysqlUrl: MYSQL_URL,
      kafkaBrokers: process.env['KAFKA_BROKERS'] ?? '',
      stateDir: mkdtempSync(join(tmpdir(), 'fapiao-e2e-')),
      portOffset: PORT_OFFSET,
      dbPrefix: DB_PREFIX,
      only: ['auth'],
      extra: {
        LOG_LEVEL: 'warn',
        AUTH_TRUST_PROXY: 'loopback',
        AUTH_TOKEN_LIMIT_PER_CLIENT: String(PER_CLIENT),
        // To see the test fail without a protection: FLOOD_AUTH_ENV='{"AUTH_HASH_CONCURRENCY":"1000"}'.
        ...(JSON.parse(process.env['FLOOD_AUTH_ENV'] ?? '{}') as Record<string, string>),
      },
      log: (service, line) => logs.push(`${service}| ${line}`),
    });
    const [auth] = suite.running;
    if (!auth) throw new Error('auth did not start');
    authUrl = auth.url;
  });

  afterAll(async () => {
    await suite?.stop();
    await dropSchemas(MYSQL_URL, DB_PREFIX);
  });

  const token = async (authorization: string, forwardedFor: string) => {
    const response = await fetch(`${authUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization,
        'x-forwarded-for': forwardedFor,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as OAuthError,
    };
  };

  const b64 = (raw: string | Buffer) => Buffer.from(raw).toString('base64');

  it.each([
    ['bad base64', 'Basic %%%not-base64'],
    ['no colon', `Basic ${b64('just-an-id')}`],
    ['an empty client id', `Basic ${b64(':secret')}`],
    ['an empty secret', `Basic ${b64('client:')}`],
    ['non-UTF-8', `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0x41]))}`],
    ['a bad percent-escape', `Basic ${b64('%E0%A4%A:secret')}`],
    ['an oversized header (8 KB)', `Basic ${'QUFB'.repeat(2_000)}`],
  ])('answers malformed Basic credentials (%s) 401 AUTH.MALFORMED_CREDENTIALS', async (_case, header) => {
    const { status, body, headers } = await token(header, '198.51.100.7');
    expect(status).toBe(401);
    expect(body).toMatchObject({ code: 'AUTH.MALFORMED_CREDENTIALS', error: 'invalid_client' });
    expect(headers.get('www-authenticate')).toBe('Basic realm="fapiao"');
  });

  it('answers a header beyond what Node reads at all with 431, not 500', async () => {
    const response = await fetch(`${authUrl}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${'A'.repeat(64 * 1024)}` },
      body: 'grant_type=client_credentials',
    }).catch((error: unknown) => error as Error);
    // Node refuses the request line and headers before any of our code runs (or resets the connection).
    if (response instanceof Error) expect(response).toBeInstanceOf(Error);
    else expect(response.status).toBe(431);
    expect((await fetch(`${authUrl}/healthz`)).status).toBe(200);
  });

  it('floods the token endpoint; JWKS and /readyz keep answering 200 promptly throughout', async () => {
    const { clientId, clientSecret } = suite.credentials;
    const jwksMs: number[] = [];
    const readyMs: number[] = [];
    const readyStatuses: number[] = [];
    const healthMs: number[] = [];
    let flooding = true;

    const probe = async () => {
      while (flooding) {
        let started = performance.now();
        const jwks = await fetch(`${authUrl}/.well-known/jwks.json`);
        await jwks.arrayBuffer();
        jwksMs.push(performance.now() - started);
        expect(jwks.status).toBe(200);
        started = performance.now();
        const ready = await fetch(`${authUrl}/readyz`);
        await ready.arrayBuffer();
        readyMs.push(performance.now() - started);
        readyStatuses.push(ready.status);
        started = performance.now();
        await (await fetch(`${authUrl}/healthz`)).arrayBuffer();
        healthMs.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    const prober = probe();
    const report = await runFlood(authUrl, clientId, clientSecret).finally(() => (flooding = false));
    await prober;

    const { answerMs, ...counts } = report;
    const summary = {
      flood: { ...counts, answerP50: percentile(answerMs, 50), answerP99: percentile(answerMs, 99) },
      jwks: {
        samples: jwksMs.length,
        p50: percentile(jwksMs, 50),
        p99: percentile(jwksMs, 99),
        top: [...jwksMs]
          .sort((a, b) => b - a)
          .slice(0, 6)
          .map(Math.round),
      },
      healthz: { p50: percentile(healthMs, 50), p99: percentile(healthMs, 99) },
      readyz: { samples: readyMs.length, p50: percentile(readyMs, 50), p99: percentile(readyMs, 99) },
    };
    process.stderr.write(`token flood: ${JSON.stringify(summary)}\n`);

    // Every request was answered, with one of the answers the endpoint documents, never a 500.
    for (const status of Object.keys(report.byStatus)) expect(['200', '401', '429', '503']).toContain(status);
    expect(Object.values(report.byStatus).reduce((a, b) => a + b, 0)).toBe(FLOOD_REQUESTS);
    for (const code of Object.keys(report.byCode))
      expect(['none', 'AUTH.INVALID_CLIENT', 'AUTH.TOO_MANY_REQUESTS', 'AUTH.BUSY']).toContain(code);
    expect(report.retryAfterMissing).toBe(0);
    // Refused or not, each got its answer: a flood is shed, not queued until clients time out (a queued
    // check waits for at most AUTH_HASH_QUEUE hashes; without the bound, answers took > 60 s). The bound
    // is loose on purpose: the latencies themselves are figures for docs/benchmarks.md, not for a test
    // sharing two cores with others (quiet box: JWKS p99 23 ms, /readyz 40 ms; busy: 255 ms / 465 ms).
    expect(summary.flood.answerP99).toBeLessThan(20_000);
    // The real client id got its limit's worth of answers and then 429s (2/3 of the flood names it).
    expect(report.byCode['AUTH.TOO_MANY_REQUESTS']).toBeGreaterThanOrEqual(
      (FLOOD_REQUESTS * 2) / 3 - PER_CLIENT,
    );
    expect(report.goodSecretOk).toBeGreaterThan(0);
    expect(report.goodSecretOk).toBeLessThanOrEqual(PER_CLIENT);

    // Meanwhile JWKS and readiness kept answering, never starved behind the hashing.
    expect(jwksMs.length).toBeGreaterThanOrEqual(20);
    expect(summary.jwks.p99).toBeLessThan(2_000);
    expect(readyStatuses.every((status) => status === 200)).toBe(true);
    expect(summary.readyz.p99).toBeLessThan(2_000);
  });

  it('still answers the flooded client 429 with Retry-After until its window ends', async () => {
    const { clientId, clientSecret } = suite.credentials;
    const { status, body, headers } = await token(
      `Basic ${b64(`${clientId}:${clientSecret}`)}`,
      '198.51.100.8',
    );
    expect(status).toBe(429);
    expect(body).toMatchObject({ code: 'AUTH.TOO_MANY_REQUESTS' });
    const retryAfter = Number(headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});
