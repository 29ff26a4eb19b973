import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { certificateMaker, opensslDate } from '@fapiao/testing';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Check = { status: string; summary: string; runbook?: string; measured: Record<string, any> };
type Probes = { tlsProbe(host: string, port: number, options?: { ca?: string }): Promise<any> };
type Checks = { evaluateTls(input: any): Check };

/**
 * The TLS layer of doctor against real handshakes: a local HTTPS server with an expired certificate, one
 * for another host, an untrusted one and a good one (self-signed with openssl ca, which can backdate).
 */
const makeCertificate = certificateMaker('fapiao-doctor-tls-');
const certificate = (name: string, from: string, to: string, san: string) => {
  const { certPem, keyPem } = makeCertificate(name, from, to, san);
  return { cert: certPem, key: keyPem };
};

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
const inDays = (days: number) => opensslDate(days);

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
