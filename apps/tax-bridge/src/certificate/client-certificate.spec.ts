import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConfigValidationError } from '@fapiao/platform/config';
import { certificateMaker, opensslDate } from '@fapiao/testing';
import { HttpTaxAuthorityAdapter } from '../infrastructure/authority/http-tax-authority.adapter';
import type { TaxBridgeConfig } from '../tax-bridge.config';
import { clientCertificateConfig, daysToExpiry } from './client-certificate';

const certificate = certificateMaker('fapiao-cert-');
const days = (n: number) => opensslDate(n);

const withEnv = <T>(vars: Record<string, string>, read: () => T): T => {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    return read();
  } finally {
    process.env = saved;
  }
};

describe('client certificate', () => {
  const valid = certificate('fapiao-tax-client', days(-1), days(365));

  it('loads a valid certificate and reports the days to expiry', () => {
    const loaded = withEnv({ TAX_CLIENT_CERT_PATH: valid.cert, TAX_CLIENT_KEY_PATH: valid.key }, () =>
      clientCertificateConfig.read(),
    );
    if (!loaded) throw new Error('expected a certificate');
    expect(loaded.subject).toContain('fapiao-tax-client');
    expect(daysToExpiry(loaded)).toBeGreaterThanOrEqual(363);
  });

  it('is optional', () => {
    expect(withEnv({}, () => clientCertificateConfig.read())).toBeNull();
  });

  it('refuses to start with an expired certificate, naming the variable', () => {
    const expired = certificate('expired', '20200101000000Z', '20200102000000Z');
    const read = () =>
      withEnv({ TAX_CLIENT_CERT_PATH: expired.cert, TAX_CLIENT_KEY_PATH: expired.key }, () =>
        clientCertificateConfig.read(),
      );
    expect(read).toThrow(ConfigValidationError);
    expect(read).toThrow(/TAX_CLIENT_CERT_PATH: the client certificate \(CN=expired\) expired on 2020-01-02/);
  });

  it('refuses a certificate without its key and an unreadable file', () => {
    expect(() => withEnv({ TAX_CLIENT_CERT_PATH: valid.cert }, () => clientCertificateConfig.read())).toThrow(
      /TAX_CLIENT_KEY_PATH/,
    );
    expect(() =>
      withEnv(
        { TAX_CLIENT_CERT_PATH: join(dirname(valid.cert), 'missing.crt'), TAX_CLIENT_KEY_PATH: valid.key },
        () => clientCertificateConfig.read(),
      ),
    ).toThrow(/TAX_CLIENT_CERT_PATH: cannot read/);
  });

  it('warns through readiness (degraded) below the threshold, and is up otherwise', async () => {
    const soon = certificate('soon', days(-1), days(10));
    jest.resetModules();
    const check = async (vars: Record<string, string>) => {
      const saved = { ...process.env };
      Object.assign(process.env, vars);
      try {
        const { ClientCertificateReadiness } = await import('./client-certificate.readiness');
        return await new ClientCertificateReadiness(new HealthIndicatorService()).check();
      } finally {
        process.env = saved;
        jest.resetModules();
      }
    };
    expect(
      (await check({ TAX_CLIENT_CERT_PATH: soon.cert, TAX_CLIENT_KEY_PATH: soon.key })).clientCertificate,
    ).toMatchObject({
      status: 'degraded',
      daysLeft: expect.any(Number),
    });
    expect(
      (await check({ TAX_CLIENT_CERT_PATH: valid.cert, TAX_CLIENT_KEY_PATH: valid.key })).clientCertificate
        .status,
    ).toBe('up');
  });

  it('exports days to expiry only when a certificate is configured, never a 0 that reads as expired', async () => {
    const exported = async (vars: Record<string, string>) => {
      const saved = { ...process.env };
      Object.assign(process.env, vars);
      jest.resetModules();
      try {
        const { clientCertificateExpiryDays } = await import('./client-certificate.readiness');
        return (await clientCertificateExpiryDays.get()).values;
      } finally {
        process.env = saved;
        jest.resetModules();
      }
    };
    expect(await exported({})).toEqual([]);
    const [series] = await exported({ TAX_CLIENT_CERT_PATH: valid.cert, TAX_CLIENT_KEY_PATH: valid.key });
    expect(series.value).toBeGreaterThan(300);
    expect(series.labels).toEqual({ subject: expect.stringContaining('fapiao-tax-client') });
  });

  describe('mutual TLS with the authority', () => {
    let server: Server;
    let port: number;
    const serverCert = certificate('authority', days(-1), days(30), 'subjectAltName=IP:127.0.0.1');
    const seenClients: string[] = [];

    beforeAll(async () => {
      const { readFileSync } = await import('node:fs');
      server = createServer(
        {
          cert: readFileSync(serverCert.cert),
          key: readFileSync(serverCert.key),
          ca: readFileSync(valid.cert),
          requestCert: true,
          rejectUnauthorized: true,
        },
        (request, response) => {
          const peer = (request.socket as import('node:tls').TLSSocket).getPeerCertificate();
          seenClients.push(String(peer.subject.CN));
          response.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"SIM.NOT_FOUND"}');
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('presents the client certificate and verifies the authority against TAX_CA_PATH', async () => {
      const certificateConfig = withEnv(
        { TAX_CLIENT_CERT_PATH: valid.cert, TAX_CLIENT_KEY_PATH: valid.key, TAX_CA_PATH: serverCert.cert },
        () => clientCertificateConfig.read(),
      );
      const adapter = new HttpTaxAuthorityAdapter(
        { authorityUrl: `https://127.0.0.1:${port}`, timeoutMs: 3_000 } as TaxBridgeConfig,
        certificateConfig,
      );
      await expect(adapter.findBySerial('FP1')).resolves.toBeNull();
      expect(seenClients).toEqual(['fapiao-tax-client']);
    });
  });
});
