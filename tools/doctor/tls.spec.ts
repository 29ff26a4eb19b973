import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Check = { status: string; summary: string; runbook?: string; measured: Record<string, any> };
type Probes = { tlsProbe(host: string, port: number, options?: { ca?: string }): Promise<any> };
type Checks = { evaluateTls(input: any): Check };

/**
 * The TLS layer of doctor against real handshakes: a local HTTPS server with an expired certificate, one
 * for another host, an untrusted one and a good one (self-signed with openssl ca, which can backdate).
 */
const dir = mkdtempSync(join(tmpdir(), 'fapiao-doctor-tls-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function certificate(name: string, from: string, to: string, san: string): { cert: string; key: string } {
  const ca = join(dir, `ca-${name}`);
  mkdirSync(join(ca, 'newcerts'), { recursive: true });
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'serial'), '01\n');
  writeFileSync(
    join(ca, 'ca.cnf'),
    `[ca]\ndefault_ca=d\n[d]\ndatabase=${ca}/index.txt\nnew_certs_dir=${ca}/newcerts\nserial=${ca}/serial\n` +
      `default_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n`,
  );
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  openssl(
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
    '-addext',
    san,
  );
  openssl(
    'ca',
    '-batch',
    '-config',
    join(ca, 'ca.cnf'),
    '-selfsign',
    '-keyfile',
    key,
    '-in',
    `${name}.csr`,
    '-out',
    cert,
    '-startdate',
    from,
    '-enddate',
    to,
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const servers: Server[] = [];
async function serve(pair: { cert: string; key: string }): Promise<number> {
  const server = createServer(pair, (_req, res) => res.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

let probes: Probes;
let checks: Checks;
beforeAll(async () => {
  probes = (await import(pathToFileURL(join(__dirname, 'probes.mjs')).href)) as Probes;
  checks = (await import(pathToFileURL(join(__dirname, 'checks.mjs')).href)) as Checks;
});
afterAll(() => servers.forEach((server) => server.close()));

const SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

async function check(pair: { cert: string; key: string }, ca?: string): Promise<Check> {
  const port = await serve(pair);
  const measured = await probes.tlsProbe('localhost', port, { ca });
  return checks.evaluateTls({ service: 'order', ...measured });
}

describe('doctor: TLS against real certificates', () => {
  it('an expired certificate ✖ with its days and the TLS runbook entry', async () => {
    const expired = certificate('expired', '20200101000000Z', '20200102000000Z', SAN);
    const verdict = await check(expired, expired.cert);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/certificate of localhost expired \d+ day\(s\) ago/);
    expect(verdict.runbook).toBe('docs/operations.md#tls-and-client-certificate-expiry');
  });

  it('a certificate for another host ✖, an untrusted one ✖, one expiring soon ⚠, a good one ✔', async () => {
    const other = certificate('other', inDays(-1), inDays(300), 'subjectAltName=DNS:fapiao.example.com');
    expect((await check(other, other.cert)).summary).toMatch(/does not name localhost/);
    const untrusted = certificate('untrusted', inDays(-1), inDays(300), SAN);
    expect((await check(untrusted)).summary).toMatch(
      /not trusted: .*SELF_SIGNED|not trusted: .*self[- ]signed/i,
    );
    const soon = certificate('soon', inDays(-1), inDays(10), SAN);
    expect(await check(soon, soon.cert)).toMatchObject({ status: 'warn', measured: { daysToExpiry: 9 } });
    const good = certificate('good', inDays(-1), inDays(300), SAN);
    expect(await check(good, good.cert)).toMatchObject({ status: 'pass', measured: { chain: ['good'] } });
  });
});
