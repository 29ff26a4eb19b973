import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthorityBatchIssueItem, AuthorityIssueRequest } from '@fapiao/contracts';
import { AuthorityPaused, OutcomeUnknown } from '../../domain/authority-outcome';
import { taxBridgeConfig, type TaxBridgeConfig } from '../../tax-bridge.config';
import { HttpTaxAuthorityAdapter } from './http-tax-authority.adapter';

/** Answers every request with the status, headers and body the test set last. */
let answer: { status: number; headers?: Record<string, string>; body: unknown };
/** The last request the server read. */
let received: { method?: string; url?: string; body: string } = { body: '' };
let server: Server;
let adapter: HttpTaxAuthorityAdapter;
const request = { serial: 's-1' } as AuthorityIssueRequest;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received = { method: req.method, url: req.url, body };
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
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

describe('HttpTaxAuthorityAdapter batch uploads', () => {
  const invoice = (serial: string, number: string) => ({
    number,
    serial,
    kind: 'blue',
    invoiceType: 'normal',
    seller: { taxId: '91440300708461136T' },
    buyer: { name: 'b' },
    totals: { net: '100.00', tax: '6.00', gross: '106.00' },
    originalNumber: null,
    redLetterFormId: null,
    issuedAt: '2026-11-21T00:00:00.000Z',
    fileRef: `sim://invoices/${number}.ofd`,
    buyerConfirmed: false,
    lines: [],
  });
  const items = ['b-1', 'b-2', 'b-3', 'b-4'].map((serial) => ({ serial }) as AuthorityBatchIssueItem);

  it('posts { items } to /v1/invoices/batch and answers per serial; anything unattributable is no answer', async () => {
    answer = {
      status: 200,
      body: {
        items: [
          {
            index: 0,
            serial: 'b-1',
            outcome: 'issued',
            invoice: { ...invoice('b-1', '26441000000000000001'), duplicate: false },
          },
          {
            index: 1,
            serial: 'b-2',
            outcome: 'duplicate',
            invoice: { ...invoice('b-2', '26441000000000000002'), duplicate: true },
          },
          { index: 2, serial: 'b-3', outcome: 'rejected', code: 'SIM.TAX_CODE_INVALID', message: 'bad' },
          // Names another item's serial: not b-4's answer.
          { index: 3, serial: 'b-1', outcome: 'rejected', code: 'SIM.REQUEST_INVALID', message: 'odd' },
        ],
      },
    };
    const outcomes = await adapter.issueBatch(items);
    expect(received).toMatchObject({ method: 'POST', url: '/v1/invoices/batch' });
    expect(JSON.parse(received.body)).toEqual({ items });
    expect(outcomes.get('b-1')).toMatchObject({
      kind: 'issued',
      number: '26441000000000000001',
      totalGross: '106.00',
    });
    expect(outcomes.get('b-2')).toMatchObject({ kind: 'issued', number: '26441000000000000002' });
    expect(outcomes.get('b-3')).toEqual({ kind: 'rejected', code: 'SIM.TAX_CODE_INVALID', message: 'bad' });
    expect(outcomes.has('b-4')).toBe(false);
  });

  it('pauses on 429 and maintenance, and leaves every other refusal of the whole batch unknown', async () => {
    const refusal = () => adapter.issueBatch(items).catch((error: unknown) => error);
    answer = { status: 429, headers: { 'retry-after': '1' }, body: { code: 'SIM.RATE_LIMITED' } };
    expect(await refusal()).toBeInstanceOf(AuthorityPaused);
    answer = { status: 503, headers: { 'retry-after': '30' }, body: { code: 'SIM.MAINTENANCE' } };
    expect((await refusal()) as AuthorityPaused).toMatchObject({ reason: 'maintenance' });
    // A 422 of the whole batch (too large) or a 404 (no batch uploads there) says nothing per invoice.
    for (const status of [422, 404, 502]) {
      answer = { status, body: { code: 'SIM.BATCH_TOO_LARGE' } };
      expect(await refusal()).toBeInstanceOf(OutcomeUnknown);
    }
    answer = { status: 200, body: { items: 'nonsense' } };
    expect(String(await refusal())).toContain('unreadable batch answer');
  });
});
