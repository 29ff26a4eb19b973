import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthorityIssueRequest } from '@fapiao/contracts';
import { AuthorityPaused, OutcomeUnknown } from '../../domain/authority-outcome';
import { taxBridgeConfig, type TaxBridgeConfig } from '../../tax-bridge.config';
import { HttpTaxAuthorityAdapter } from './http-tax-authority.adapter';

/** Answers every request with the status, headers and body the test set last. */
let answer: { status: number; headers?: Record<string, string>; body: unknown };
let server: Server;
let adapter: HttpTaxAuthorityAdapter;
const request = { serial: 's-1' } as AuthorityIssueRequest;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const config: TaxBridgeConfig = {
    ...taxBridgeConfig.read(),
    authorityUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certificatePauseMs: 60_000,
  };
  adapter = new HttpTaxAuthorityAdapter(config, null);
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const refusal = (): Promise<unknown> => adapter.issue(request).catch((error: unknown) => error);

describe('HttpTaxAuthorityAdapter answers that are not definite', () => {
  it('pauses on 429 and on 503 SIM.MAINTENANCE until Retry-After', async () => {
    answer = { status: 429, headers: { 'retry-after': '2' }, body: { code: 'SIM.RATE_LIMITED' } };
    const limited = await refusal();
    expect(limited).toBeInstanceOf(AuthorityPaused);
    expect((limited as AuthorityPaused).reason).toBe('rate_limited');
    expect((limited as AuthorityPaused).until.getTime() - Date.now()).toBeGreaterThan(1_500);

    answer = { status: 503, headers: { 'retry-after': '30' }, body: { code: 'SIM.MAINTENANCE' } };
    const maintenance = await refusal();
    expect((maintenance as AuthorityPaused).reason).toBe('maintenance');
    expect((maintenance as AuthorityPaused).until.getTime() - Date.now()).toBeGreaterThan(29_000);
  });

  it('pauses on an expired client certificate instead of rejecting or retrying at once', async () => {
    answer = { status: 403, body: { code: 'SIM.CLIENT_CERTIFICATE_EXPIRED', message: 'expired' } };
    const error = await refusal();
    expect(error).toBeInstanceOf(AuthorityPaused);
    expect((error as AuthorityPaused).reason).toBe('certificate_expired');
    expect((error as AuthorityPaused).until.getTime() - Date.now()).toBeGreaterThan(59_000);
    expect((error as AuthorityPaused).message).toContain('SIM.CLIENT_CERTIFICATE_EXPIRED');
  });

  it('leaves any other 5xx unknown, keeping its Retry-After', async () => {
    answer = { status: 503, headers: { 'retry-after': '3' }, body: { code: 'SIM.UNAVAILABLE' } };
    const error = await refusal();
    expect(error).toBeInstanceOf(OutcomeUnknown);
    expect((error as OutcomeUnknown).retryAfterMs).toBe(3_000);
    answer = { status: 502, body: {} };
    expect(await refusal()).toBeInstanceOf(OutcomeUnknown);
  });

  it('reports a 422 as a definite rejection', async () => {
    answer = { status: 422, body: { code: 'SIM.TAX_CODE_INVALID', message: 'bad' } };
    await expect(adapter.issue(request)).resolves.toEqual({
      kind: 'rejected',
      code: 'SIM.TAX_CODE_INVALID',
      message: 'bad',
    });
  });
});
