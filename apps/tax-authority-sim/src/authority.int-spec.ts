// The simulated authority over HTTP on loopback, against a real MariaDB schema of its own: issuance and
// deduplication, numbering under concurrency, queries, rejections, red-letter forms, and every fault kind.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTHORITY_BATCH_MAX_ITEMS, type AuthorityIssueRequest, type AuthorityLine } from '@fapiao/contracts';
import { parseInvoiceNumber } from '@fapiao/invoice-domain';
import { databaseConfig } from '@fapiao/platform/config';
import { migrate } from '@fapiao/platform/persistence';
import { dropDatabase } from '@fapiao/testing';
import { register } from 'prom-client';
import { AppModule } from './app.module';
import { Clock } from './domain/clock';
import { invoiceNumberPrefix } from './domain/invoice-number';
import { NumberAllocator } from './infrastructure/number-allocator';
import { SimRepository } from './infrastructure/sim.repository';
import { inChina } from '@fapiao/invoice-domain';
import { SIM_SCHEMA } from './schema';
import { SIM_SERVICE } from './service';
import { SIM_CONFIG, type SimConfig } from './sim.config';

jest.setTimeout(30_000);

/** Real time, shifted by what a test needs (a maintenance day, 72 hours later). */
class ShiftedClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  ms: number;
}

const SELLER = '91440300708461136T';
const OTHER_SELLER = '91110000802100433B';
const run = randomBytes(4).toString('hex');
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const serial = (name: string) => `${name}-${run}`;

const clock = new ShiftedClock();
let app: INestApplication;
let port: number;

/** One request on a fresh connection; rejects with the socket error (ECONNRESET, …) or CLIENT_TIMEOUT. */
function call(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: {
          // The control routes need it; the authority API ignores it.
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text ? JSON.parse(text) : undefined,
            ms: Date.now() - started,
          }),
        );
      },
    );
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const post = (path: string, body: unknown, timeoutMs?: number) => call('POST', path, body, timeoutMs);
const get = (path: string, timeoutMs?: number) => call('GET', path, undefined, timeoutMs);

function line(lineNo: number, quantity = '2', unitPrice = '100'): AuthorityLine {
  const net = (Number(quantity) * Number(unitPrice)).toFixed(2);
  const tax = (Number(net) * 0.06).toFixed(2);
  return {
    lineNo,
    name: '软件服务',
    taxCode: '3040201000000000000',
    quantity,
    unitPrice,
    taxRate: '0.06',
    priceIncludesTax: false,
    net,
    tax,
    gross: (Number(net) + Number(tax)).toFixed(2),
  };
}

function blue(name: string, overrides: Partial<AuthorityIssueRequest> = {}): AuthorityIssueRequest {
  const lines = overrides.lines ?? [line(1), line(2, '1', '50')];
  const sum = (field: 'net' | 'tax' | 'gross') =>
    lines.reduce((total, item) => total + Number(item[field]), 0).toFixed(2);
  return {
    serial: serial(name),
    kind: 'blue',
    invoiceType: 'normal',
    seller: { taxId: SELLER },
    buyer: { name: '北京百度网讯科技有限公司', taxId: OTHER_SELLER },
    lines,
    totals: { net: sum('net'), tax: sum('tax'), gross: sum('gross') },
    ...overrides,
  };
}

/** A red-letter invoice carrying a form's figures, on lines shaped like the blue ones. */
function red(
  name: string,
  blueNumber: string,
  form: {
    id: string;
    lines: { lineNo: number; amount: string; tax: string }[];
    totals: AuthorityIssueRequest['totals'];
  },
): AuthorityIssueRequest {
  const lines = form.lines.map((item, index) => ({
    ...line(index + 1),
    quantity: '-1',
    unitPrice: item.amount.replace('-', ''),
    net: item.amount,
    tax: item.tax,
    gross: (Number(item.amount) + Number(item.tax)).toFixed(2),
  }));
  return {
    ...blue(name, { lines }),
    kind: 'red',
    totals: form.totals,
    originalNumber: blueNumber,
    redLetterFormId: form.id,
  };
}

const setFaults = async (faults: unknown) => expect((await post('/v1/faults', faults)).status).toBe(200);
const clearFaults = async () => expect((await call('DELETE', '/v1/faults')).status).toBe(204);

beforeAll(async () => {
  process.env.DB_NAME = `it_sim_${run}`;
  process.env.SIM_MAINTENANCE_ENABLED = 'false';
  process.env.LOG_LEVEL = 'silent';
  process.env.SIM_ADMIN_TOKEN = ADMIN_TOKEN;
  await migrate(databaseConfig(SIM_SERVICE).read(), SIM_SCHEMA);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  app = moduleRef.createNestApplication({ logger: false, forceCloseConnections: true });
  await app.listen(0, '127.0.0.1');
  port = (app.getHttpServer().address() as AddressInfo).port;
});

afterAll(async () => {
  await app?.close();
  await dropDatabase(databaseConfig(SIM_SERVICE).read());
});

describe('issuing', () => {
  it('issues once per serial: 201, then 200 with the same invoice and duplicate: true', async () => {
    const request = blue('once');
    const first = await post('/v1/invoices', request);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      serial: request.serial,
      kind: 'blue',
      duplicate: false,
      totals: request.totals,
    });
    expect(first.body.fileRef).toMatch(
      new RegExp(`^sim://invoices/${first.body.number}\\.ofd\\?sha256=[0-9a-f]{64}$`),
    );

    const again = await post('/v1/invoices', { ...request, buyer: { name: 'someone else' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
  });

  it('numbers invoices with 20 digits: year (UTC+8), province from the seller, channel, sequence', async () => {
    const { body } = await post('/v1/invoices', blue('format'));
    const parsed = parseInvoiceNumber(body.number);
    expect(parsed).toEqual({
      ok: true,
      value: {
        year: inChina(new Date()).getUTCFullYear(),
        province: '44',
        channel: '1',
        sequence: expect.stringMatching(/^\d{15}$/),
      },
    });
    const other = await post('/v1/invoices', blue('format-bj', { seller: { taxId: OTHER_SELLER } }));
    expect(other.body.number.slice(2, 4)).toBe('11');
  });

  it('gives 50 concurrent submissions 50 distinct, consecutive numbers and one invoice per repeated serial', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post('/v1/invoices', blue(`burst-${i}`))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
    const sequences = answers.map((answer) => Number(answer.body.number.slice(5))).sort((a, b) => a - b);
    expect(new Set(sequences).size).toBe(50);
    expect(sequences[49] - sequences[0]).toBe(49);

    const same = await Promise.all(Array.from({ length: 10 }, () => post('/v1/invoices', blue('contended'))));
    expect(same.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(same.filter((answer) => answer.status === 200 && answer.body.duplicate)).toHaveLength(9);
    expect(new Set(same.map((answer) => answer.body.number)).size).toBe(1);
  });

  it('answers by serial (404 before, the invoice after) and by number', async () => {
    const request = blue('lookup');
    const before = await get(`/v1/invoices/by-serial/${request.serial}`);
    expect(before.status).toBe(404);
    expect(before.body.code).toBe('SIM.NOT_FOUND');
    const issued = await post('/v1/invoices', request);
    const bySerial = await get(`/v1/invoices/by-serial/${request.serial}`);
    expect(bySerial.status).toBe(200);
    expect(bySerial.body).toEqual({ ...issued.body, duplicate: undefined });
    expect((await get(`/v1/invoices/${issued.body.number}`)).body.number).toBe(issued.body.number);
    expect((await get('/v1/invoices/99999999999999999999')).status).toBe(404);
  });

  it("lists a seller's invoices with the total of every match, page by page", async () => {
    const seller = '914403001922038216';
    for (let i = 0; i < 3; i++) await post('/v1/invoices', blue(`list-${i}`, { seller: { taxId: seller } }));
    const first = await get(`/v1/invoices?sellerTaxId=${seller}&pageSize=2`);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).not.toHaveProperty('lines');
    const second = await get(`/v1/invoices?sellerTaxId=${seller}&pageSize=2&page=2`);
    expect(second.body.items.map((item: { serial: string }) => item.serial)).toEqual([serial('list-2')]);
    expect((await get('/v1/invoices?pageSize=2')).body.code).toBe('SIM.REQUEST_INVALID');
  });

  it.each([
    [
      'an invalid seller USCC',
      { seller: { taxId: '91440300708461136A' } },
      'SIM.SELLER_TAX_ID_INVALID',
      'seller.taxId',
    ],
    [
      'an invalid buyer USCC',
      { buyer: { name: 'b', taxId: '91110000802100433C' } },
      'SIM.BUYER_TAX_ID_INVALID',
      'buyer.taxId',
    ],
    [
      'a special invoice without buyer tax id',
      { invoiceType: 'special', buyer: { name: 'b' } },
      'SIM.BUYER_TAX_ID_REQUIRED',
      'buyer.taxId',
    ],
    [
      'a malformed tax code',
      { lines: [{ ...line(1), taxCode: '1000000000000000000' }] },
      'SIM.TAX_CODE_INVALID',
      'lines[0].taxCode',
    ],
    [
      'a rate outside the table',
      { lines: [{ ...line(1), taxRate: '0.17', tax: '34.00', gross: '234.00' }] },
      'SIM.TAX_RATE_INVALID',
      'lines[0].taxRate',
    ],
    [
      'tax beyond the tolerance',
      { lines: [{ ...line(1), tax: '13.00', gross: '213.00' }] },
      'SIM.TAX_TOLERANCE_EXCEEDED',
      'lines[0].tax',
    ],
    [
      'net + tax ≠ gross',
      { lines: [{ ...line(1), gross: '212.01' }] },
      'SIM.LINE_AMOUNTS_INVALID',
      'lines[0].gross',
    ],
    [
      'totals that do not add up',
      { totals: { net: '250.00', tax: '15.00', gross: '265.01' } },
      'SIM.TOTALS_MISMATCH',
      'totals.gross',
    ],
    [
      'a red invoice without the blue one',
      {
        kind: 'red',
        lines: [{ ...line(1, '-2'), net: '-200.00', tax: '-12.00', gross: '-212.00' }],
        totals: { net: '-200.00', tax: '-12.00', gross: '-212.00' },
      },
      'SIM.ORIGINAL_NUMBER_REQUIRED',
      'originalNumber',
    ],
    ['a body that does not match the schema', { lines: [] }, 'SIM.REQUEST_INVALID', 'lines'],
  ])('rejects %s with 422 and a stable code, and issues nothing', async (name, overrides, code, field) => {
    const request = blue(`reject-${name}`, overrides as Partial<AuthorityIssueRequest>);
    const answer = await post('/v1/invoices', request);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code, field });
    expect((await get(`/v1/invoices/by-serial/${encodeURIComponent(request.serial)}`)).status).toBe(404);
  });
});

describe('red-letter forms', () => {
  const issueBlue = async (name: string) =>
    (await post('/v1/invoices', blue(name))).body as { number: string };
  const raise = (name: string, blueNumber: string, extra: Record<string, unknown> = {}) =>
    post('/v1/red-letter-forms', {
      serial: serial(name),
      blueNumber,
      initiator: 'seller',
      reasonCode: '01',
      lines: 'full',
      ...extra,
    });

  it('reverses in full without confirmation when the buyer has not used the invoice, and only once', async () => {
    const { number } = await issueBlue('full');
    const form = await raise('full-form', number);
    expect(form.status).toBe(201);
    expect(form.body).toMatchObject({ state: 'confirmation-not-required', scope: 'full', expiresAt: null });
    expect(form.body.totals).toEqual({ net: '-250.00', tax: '-15.00', gross: '-265.00' });
    expect((await raise('full-form', number)).body).toMatchObject({ id: form.body.id, duplicate: true });

    const redInvoice = await post('/v1/invoices', red('full-red', number, form.body));
    expect(redInvoice.status).toBe(201);
    expect(redInvoice.body).toMatchObject({ kind: 'red', originalNumber: number, totals: form.body.totals });
    expect((await get(`/v1/red-letter-forms/${form.body.id}`)).body).toMatchObject({
      state: 'issued',
      redInvoiceNumber: redInvoice.body.number,
    });

    const second = await raise('full-form-2', number);
    expect(second.status).toBe(422);
    expect(second.body.code).toBe('SIM.ALREADY_FULLY_REVERSED');
    const reuse = await post('/v1/invoices', red('full-red-2', number, form.body));
    expect(reuse.body.code).toBe('SIM.RED_LETTER_FORM_NOT_CONFIRMED');
  });

  it('needs the other party to confirm a partial reversal, and refuses over-reversal', async () => {
    const { number } = await issueBlue('partial');
    expect((await post(`/v1/invoices/${number}/buyer-confirmation`, undefined)).body.buyerConfirmed).toBe(
      true,
    );
    expect((await raise('partial-01', number, { lines: [{ lineNo: 1, amount: '100.00' }] })).body.code).toBe(
      'SIM.REASON_REQUIRES_FULL',
    );

    const form = await raise('partial-form', number, {
      reasonCode: '02',
      lines: [{ lineNo: 1, amount: '150.00', quantity: '1.5' }],
    });
    expect(form.body).toMatchObject({
      state: 'raised',
      scope: 'partial',
      totals: { net: '-150.00', tax: '-9.00', gross: '-159.00' },
    });
    expect(Date.parse(form.body.expiresAt) - Date.parse(form.body.raisedAt)).toBe(72 * 3_600_000);
    expect(
      (await raise('partial-form-2', number, { reasonCode: '02', lines: [{ lineNo: 2, amount: '1.00' }] }))
        .body.code,
    ).toBe('SIM.RED_LETTER_FORM_PENDING');
    expect((await post('/v1/invoices', red('partial-early', number, form.body))).body.code).toBe(
      'SIM.RED_LETTER_FORM_NOT_CONFIRMED',
    );

    const own = await post(`/v1/red-letter-forms/${form.body.id}/confirm`, { by: 'seller' });
    expect(own.body.code).toBe('SIM.RED_LETTER_NOT_COUNTERPARTY');
    const confirmed = await post(`/v1/red-letter-forms/${form.body.id}/confirm`, { by: 'buyer' });
    expect(confirmed.body.state).toBe('confirmed');
    expect((await post(`/v1/red-letter-forms/${form.body.id}/confirm`, { by: 'buyer' })).body).toEqual(
      confirmed.body,
    );
    expect((await post(`/v1/red-letter-forms/${form.body.id}/decline`, { by: 'buyer' })).body.code).toBe(
      'SIM.RED_LETTER_INVALID_TRANSITION',
    );

    const wrongTotals = red('partial-wrong', number, {
      ...form.body,
      lines: [{ lineNo: 1, amount: '-100.00', tax: '-6.00' }],
      totals: { net: '-100.00', tax: '-6.00', gross: '-106.00' },
    });
    expect((await post('/v1/invoices', wrongTotals)).body).toMatchObject({
      code: 'SIM.RED_LETTER_FORM_MISMATCH',
      field: 'totals.net',
    });
    const tooMuch = red('partial-much', number, {
      ...form.body,
      lines: [{ lineNo: 1, amount: '-300.00', tax: '-18.00' }],
      totals: { net: '-300.00', tax: '-18.00', gross: '-318.00' },
    });
    expect((await post('/v1/invoices', tooMuch)).body).toMatchObject({
      code: 'SIM.RED_EXCEEDS_BLUE',
      field: 'totals.gross',
    });
    expect((await post('/v1/invoices', red('partial-red', number, form.body))).status).toBe(201);

    const over = await raise('partial-over', number, {
      reasonCode: '02',
      lines: [{ lineNo: 1, amount: '50.01' }],
    });
    expect(over.body).toMatchObject({ code: 'SIM.REVERSAL_EXCEEDS_REMAINING', field: 'lines[0].amount' });
    expect((await raise('partial-full', number, { reasonCode: '02' })).body.code).toBe(
      'SIM.ALREADY_PARTIALLY_REVERSED',
    );
    const rest = await raise('partial-rest', number, {
      reasonCode: '02',
      lines: [{ lineNo: 1, amount: '50.00' }],
    });
    expect(rest.body).toMatchObject({
      state: 'raised',
      totals: { net: '-50.00', tax: '-3.00', gross: '-53.00' },
    });
  });

  it('voids an unanswered form after 72 hours, and lets the initiator revoke an open one', async () => {
    const { number } = await issueBlue('expiry');
    const form = await raise('expiry-form', number, { initiator: 'buyer', reasonCode: '02' });
    expect(form.body.state).toBe('raised');
    try {
      clock.offsetMs = 72 * 3_600_000;
      expect((await get(`/v1/red-letter-forms/${form.body.id}`)).body).toMatchObject({
        state: 'expired',
        updatedAt: form.body.expiresAt,
      });
      const late = await post(`/v1/red-letter-forms/${form.body.id}/confirm`, { by: 'seller' });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('SIM.RED_LETTER_EXPIRED');
      const next = await raise('expiry-next', number, { initiator: 'buyer', reasonCode: '02' });
      expect(next.body.state).toBe('raised');
      expect((await post(`/v1/red-letter-forms/${next.body.id}/revoke`, { by: 'seller' })).body.code).toBe(
        'SIM.RED_LETTER_NOT_INITIATOR',
      );
      expect((await post(`/v1/red-letter-forms/${next.body.id}/revoke`, { by: 'buyer' })).body.state).toBe(
        'revoked',
      );
      const forms = await get(`/v1/red-letter-forms?blueNumber=${number}`);
      expect(forms.body.map((item: { state: string }) => item.state)).toEqual(['expired', 'revoked']);
      expect((await get(`/v1/red-letter-forms/by-serial/${serial('expiry-next')}`)).body.id).toBe(
        next.body.id,
      );
    } finally {
      clock.offsetMs = 0;
    }
  });
});

describe('faults', () => {
  afterEach(clearFaults);

  const errorCode = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );

  it('answers 5xx with a body without processing the request', async () => {
    await setFaults({ seed: 1, errorRate: 1, errorStatuses: [502] });
    const request = blue('fault-502');
    const answer = await post('/v1/invoices', request);
    expect(answer).toMatchObject({ status: 502, body: { code: 'SIM.BAD_GATEWAY' } });
    await clearFaults();
    expect((await get(`/v1/invoices/by-serial/${request.serial}`)).status).toBe(404);
  });

  it('resets the connection before processing', async () => {
    await setFaults({ resetRate: 1 });
    const request = blue('fault-reset');
    expect(await errorCode(post('/v1/invoices', request))).toBe('ECONNRESET');
    await clearFaults();
    expect((await get(`/v1/invoices/by-serial/${request.serial}`)).status).toBe(404);
  });

  it('loses the response of an invoice it did issue: the caller sees a reset, the serial finds the invoice', async () => {
    await setFaults({ responseLostRate: 1 });
    const request = blue('fault-lost');
    expect(await errorCode(post('/v1/invoices', request))).toBe('ECONNRESET');
    await clearFaults();
    const found = await get(`/v1/invoices/by-serial/${request.serial}`);
    expect(found.status).toBe(200);
    const resubmitted = await post('/v1/invoices', request);
    expect(resubmitted.body).toMatchObject({ number: found.body.number, duplicate: true });
  });

  it('hangs without processing, or processes and answers afterMs late', async () => {
    await setFaults({ timeoutRate: 1 });
    const hung = blue('fault-hang');
    expect(await errorCode(post('/v1/invoices', hung, 300))).toBe('CLIENT_TIMEOUT');

    await setFaults({ timeoutRate: 1, timeoutMode: { afterMs: 400 } });
    const late = blue('fault-late');
    expect(await errorCode(post('/v1/invoices', late, 150))).toBe('CLIENT_TIMEOUT');
    const patient = await post('/v1/invoices', blue('fault-late-patient'));
    expect(patient.status).toBe(201);
    expect(patient.ms).toBeGreaterThanOrEqual(400);

    await clearFaults();
    expect((await get(`/v1/invoices/by-serial/${hung.serial}`)).status).toBe(404);
    // The abandoned request was processed after its delay all the same.
    expect((await get(`/v1/invoices/by-serial/${late.serial}`)).status).toBe(200);
  });

  it('adds latency', async () => {
    await setFaults({ latencyMs: { min: 200, max: 200 } });
    expect((await get('/v1/invoices/by-serial/nothing')).ms).toBeGreaterThanOrEqual(200);
  });

  it('rate-limits with 429 and Retry-After', async () => {
    await setFaults({ rateLimit: { perSecond: 1 } });
    expect((await get('/v1/invoices/by-serial/nothing')).status).toBe(404);
    const limited = await get('/v1/invoices/by-serial/nothing');
    expect(limited).toMatchObject({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { code: 'SIM.RATE_LIMITED' },
    });
  });

  it('goes into maintenance now for N seconds, leaving control, status and health endpoints alone', async () => {
    await setFaults({ maintenance: { forSeconds: 120 } });
    const answer = await get('/v1/invoices/by-serial/nothing');
    expect(answer).toMatchObject({ status: 503, body: { code: 'SIM.MAINTENANCE' } });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(118);
    expect((await post('/v1/red-letter-forms', {})).status).toBe(503);
    expect((await get('/v1/status')).body.maintenance).toMatchObject({ active: true, source: 'injected' });
    expect((await get('/v1/faults')).body).toMatchObject({ active: true, injected: { maintenance: 2 } });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('follows the maintenance calendar in UTC+8, with Retry-After until the window ends', async () => {
    // 12:00 on the next 25th, Beijing time: the window ends at 00:00 on the 28th, 2.5 days later.
    const china = inChina(new Date());
    const target = Date.UTC(china.getUTCFullYear(), china.getUTCMonth() + 1, 25, 12 - 8);
    try {
      clock.offsetMs = target - Date.now();
      expect(
        (await call('PUT', '/v1/maintenance/calendar', { enabled: true, days: '25-27' })).body.maintenance,
      ).toMatchObject({ active: true, source: 'calendar' });
      const answer = await get('/v1/invoices/by-serial/nothing');
      expect(answer).toMatchObject({
        status: 503,
        headers: { 'retry-after': String(2.5 * 86_400) },
        body: { code: 'SIM.MAINTENANCE' },
      });
      const status = (await get('/v1/status')).body;
      expect(Date.parse(status.maintenance.until)).toBe(target + 2.5 * 86_400_000);
      expect(Date.parse(status.maintenance.nextWindow.start)).toBeGreaterThan(target);
    } finally {
      clock.offsetMs = 0;
      await call('PUT', '/v1/maintenance/calendar', { enabled: false });
    }
    expect((await get('/v1/invoices/by-serial/nothing')).status).toBe(404);
  });

  it('refuses every authority request while the client certificate is expired', async () => {
    await setFaults({ certificateExpired: true });
    expect((await get('/v1/invoices/by-serial/nothing')).body).toMatchObject({
      code: 'SIM.CLIENT_CERTIFICATE_EXPIRED',
    });
    expect((await get('/v1/invoices/by-serial/nothing')).status).toBe(403);
    expect((await get('/v1/status')).status).toBe(200);
  });

  it('draws the same faults for the same seed and request sequence', async () => {
    const statuses = async () => {
      await setFaults({ seed: 42, errorRate: 0.5 });
      const seen: number[] = [];
      for (let i = 0; i < 16; i++) seen.push((await get('/v1/invoices/by-serial/nothing')).status);
      return seen;
    };
    const first = await statuses();
    expect(new Set(first).has(404) && first.some((status) => status >= 500)).toBe(true);
    expect(await statuses()).toEqual(first);
  });

  it('shows, validates, counts and clears the faults', async () => {
    await setFaults({ seed: 9, resetRate: 1 });
    await errorCode(get('/v1/invoices/by-serial/nothing'));
    expect((await get('/v1/faults')).body).toMatchObject({
      active: true,
      requests: 1,
      injected: { reset: 1 },
      spec: { seed: 9, resetRate: 1, timeoutMode: 'hang' },
    });
    // /metrics has its own server in a running service (runService); in-process, the registry itself.
    const metrics = await register.metrics();
    expect(metrics).toMatch(/sim_faults_total\{kind="reset",source="injected"[^}]*\} [1-9]/);
    expect((await post('/v1/faults', { errorRate: 0.7, resetRate: 0.5 })).body.code).toBe(
      'SIM.REQUEST_INVALID',
    );
    expect((await post('/v1/faults', { errrorRate: 0.1 })).body.code).toBe('SIM.REQUEST_INVALID');
    await clearFaults();
    expect((await get('/v1/faults')).body).toMatchObject({ active: false, spec: null });
    expect((await get('/v1/invoices/by-serial/nothing')).status).toBe(404);
  });
});

describe('control API', () => {
  const bare = async (method: string, path: string, authorization?: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: authorization ? { authorization } : {},
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as unknown };
  };

  it('answers its control routes only with the admin token (401 SIM.ADMIN_TOKEN_REQUIRED), the authority API without', async () => {
    const refused = { status: 401, body: expect.objectContaining({ code: 'SIM.ADMIN_TOKEN_REQUIRED' }) };
    for (const [method, path] of [
      ['GET', '/v1/faults'],
      ['POST', '/v1/faults'],
      ['DELETE', '/v1/faults'],
      ['PUT', '/v1/maintenance/calendar'],
      ['GET', '/v1/status'],
      ['POST', '/v1/invoices/00000000000000000000/buyer-confirmation'],
      ['POST', '/v1/red-letter-forms/x/confirm'],
      ['POST', '/v1/red-letter-forms/x/decline'],
      ['POST', '/v1/red-letter-forms/x/revoke'],
    ]) {
      expect({ path, ...(await bare(method, path)) }).toEqual({ path, ...refused });
      // The last character changed, never to itself (a random token ends with 'x' once in 64 runs).
      const wrong = `Bearer ${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith('x') ? 'y' : 'x'}`;
      expect({ path, ...(await bare(method, path, wrong)) }).toEqual({ path, ...refused });
      expect({ path, ...(await bare(method, path, ADMIN_TOKEN)) }).toEqual({ path, ...refused });
    }
    expect((await bare('GET', '/v1/faults', `Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
    expect((await bare('GET', '/v1/invoices/by-serial/none')).status).toBe(404);
  });
});

describe('batch upload', () => {
  afterEach(clearFaults);

  const errorCode = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );

  it('answers every item on its own, as the single endpoint would, deduplicating within the batch too', async () => {
    const before = await post('/v1/invoices', blue('batch-seen'));
    expect(before.status).toBe(201);
    const items = [
      blue('batch-a'),
      blue('batch-seen', { buyer: { name: 'someone else' } }),
      blue('batch-b'),
      blue('batch-a', { buyer: { name: 'a later body' } }),
      blue('batch-bad-code', { seller: { taxId: '91440300708461136A' } }),
      { ...blue('batch-no-lines'), lines: [] },
      { ...blue('batch-red'), kind: 'red' },
    ];
    const answer = await post('/v1/invoices/batch', { items });
    expect(answer.status).toBe(200);
    const results = answer.body.items;
    expect(results.map((item: { index: number; outcome: string }) => [item.index, item.outcome])).toEqual([
      [0, 'issued'],
      [1, 'duplicate'],
      [2, 'issued'],
      [3, 'duplicate'],
      [4, 'rejected'],
      [5, 'rejected'],
      [6, 'rejected'],
    ]);
    expect(results[0].invoice).toMatchObject({ serial: serial('batch-a'), duplicate: false });
    expect(results[1].invoice).toEqual({ ...before.body, duplicate: true });
    expect(results[3].invoice).toEqual({ ...results[0].invoice, duplicate: true });
    expect(results[4]).toMatchObject({
      serial: serial('batch-bad-code'),
      code: 'SIM.SELLER_TAX_ID_INVALID',
      field: 'seller.taxId',
    });
    expect(results[5]).toMatchObject({ code: 'SIM.REQUEST_INVALID', field: 'lines' });
    expect(results[6]).toMatchObject({ code: 'SIM.REQUEST_INVALID', field: 'kind' });

    // What the batch issued is what the single endpoint and the query by serial see.
    const bySerial = await get(`/v1/invoices/by-serial/${serial('batch-b')}`);
    expect(bySerial.body).toEqual({ ...results[2].invoice, duplicate: undefined });
    expect((await post('/v1/invoices', blue('batch-b'))).body).toEqual({
      ...results[2].invoice,
      duplicate: true,
    });
    expect((await get(`/v1/invoices/by-serial/${serial('batch-bad-code')}`)).status).toBe(404);
    // A rejected serial is not taken: sent again, valid, it is issued.
    const again = await post('/v1/invoices/batch', { items: [blue('batch-bad-code')] });
    expect(again.body.items[0]).toMatchObject({ outcome: 'issued' });
  });

  it(`refuses a batch of more than ${AUTHORITY_BATCH_MAX_ITEMS} invoices, or none, whole`, async () => {
    const items = Array.from({ length: AUTHORITY_BATCH_MAX_ITEMS + 1 }, (_, i) => blue(`batch-big-${i}`));
    const tooLarge = await post('/v1/invoices/batch', { items });
    expect(tooLarge).toMatchObject({ status: 422, body: { code: 'SIM.BATCH_TOO_LARGE', field: 'items' } });
    expect((await get(`/v1/invoices/by-serial/${items[0].serial}`)).status).toBe(404);
    for (const body of [{ items: [] }, {}, { items: 'x' }]) {
      expect(await post('/v1/invoices/batch', body)).toMatchObject({
        status: 422,
        body: { code: 'SIM.REQUEST_INVALID', field: 'items' },
      });
    }
    const full = Array.from({ length: AUTHORITY_BATCH_MAX_ITEMS }, (_, i) => blue(`batch-full-${i}`));
    const answer = await post('/v1/invoices/batch', { items: full });
    expect(answer.status).toBe(200);
    expect(answer.body.items.every((item: { outcome: string }) => item.outcome === 'issued')).toBe(true);
  });

  it('is faulted as one request: maintenance, 5xx and lost responses strike the whole batch', async () => {
    const items = [blue('batch-fault-1'), blue('batch-fault-2')];
    await setFaults({ maintenance: { forSeconds: 60 } });
    const maintenance = await post('/v1/invoices/batch', { items });
    expect(maintenance).toMatchObject({ status: 503, body: { code: 'SIM.MAINTENANCE' } });
    expect(Number(maintenance.headers['retry-after'])).toBeGreaterThan(58);

    await setFaults({ errorRate: 1, errorStatuses: [502] });
    expect((await post('/v1/invoices/batch', { items })).status).toBe(502);
    await clearFaults();
    for (const item of items) expect((await get(`/v1/invoices/by-serial/${item.serial}`)).status).toBe(404);

    await setFaults({ responseLostRate: 1 });
    expect(await errorCode(post('/v1/invoices/batch', { items }))).toBe('ECONNRESET');
    expect((await get('/v1/faults')).body).toMatchObject({ requests: 1, injected: { response_lost: 1 } });
    await clearFaults();
    // Processed and committed although nobody heard the answer: each serial finds its invoice.
    for (const item of items) expect((await get(`/v1/invoices/by-serial/${item.serial}`)).status).toBe(200);
  });

  it('counts invoices, not requests, against the rate limit', async () => {
    await setFaults({ rateLimit: { perSecond: 5 } });
    const four = Array.from({ length: 4 }, (_, i) => blue(`batch-rate-${i}`));
    expect((await post('/v1/invoices/batch', { items: four })).status).toBe(200);
    expect((await post('/v1/invoices', blue('batch-rate-single'))).status).toBe(201);
    const limited = await post('/v1/invoices/batch', { items: [blue('batch-rate-late')] });
    expect(limited).toMatchObject({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { code: 'SIM.RATE_LIMITED' },
    });
    // A batch larger than a second's worth passes on a full bucket, and the debt holds later requests back.
    await setFaults({ rateLimit: { perSecond: 2 } });
    const six = Array.from({ length: 6 }, (_, i) => blue(`batch-debt-${i}`));
    expect((await post('/v1/invoices/batch', { items: six })).status).toBe(200);
    const afterDebt = await get('/v1/invoices/by-serial/nothing');
    expect(afterDebt.status).toBe(429);
    expect(Number(afterDebt.headers['retry-after'])).toBeGreaterThanOrEqual(2);
  });
});

describe('numbering from blocks', () => {
  const numberOf = (answer: Answer): string[] =>
    answer.body.items
      ? answer.body.items.map((item: { invoice: { number: string } }) => item.invoice.number)
      : [answer.body.number];

  it('keeps numbers unique under concurrent batches and singles, and across a restart of the allocator', async () => {
    const repository = app.get(SimRepository);
    const reserve = jest.spyOn(repository, 'reserveNumbers');
    const config = app.get<SimConfig>(SIM_CONFIG);
    // Another allocator on the same table, as a second replica (or this process after a restart) would be:
    // small blocks, so it reserves again and again while the app's own allocator does too.
    const other = new NumberAllocator(repository, { ...config, numberBlockSize: 7 });
    const prefix = invoiceNumberPrefix(new Date(), SELLER, config.channel);

    const requests = [
      ...Array.from({ length: 12 }, (_, b) =>
        post('/v1/invoices/batch', {
          items: Array.from({ length: 25 }, (_, i) => blue(`blocks-${b}-${i}`)),
        }),
      ),
      ...Array.from({ length: 40 }, (_, i) => post('/v1/invoices', blue(`blocks-single-${i}`))),
    ];
    const taken = Array.from({ length: 30 }, () => other.numbers(prefix, 3));
    const answers = await Promise.all(requests);
    expect(answers.map((answer) => answer.status).sort()).toEqual([
      ...Array(12).fill(200),
      ...Array(40).fill(201),
    ]);
    const issued = answers.flatMap(numberOf);
    const elsewhere = (await Promise.all(taken)).flat();
    expect(issued).toHaveLength(340);
    expect(new Set([...issued, ...elsewhere]).size).toBe(340 + 90);
    // 340 invoices from the app's blocks of 1,000: a reservation now and then, not one per invoice.
    expect(
      reserve.mock.calls.filter(([, size]) => size === config.numberBlockSize).length,
    ).toBeLessThanOrEqual(2);

    // A restart: a fresh allocator starts after every block reserved before, whatever was left unused.
    const restarted = new NumberAllocator(repository, config);
    const [first] = await restarted.numbers(prefix);
    const highest = [...issued, ...elsewhere]
      .filter((number) => number.startsWith(prefix))
      .sort()
      .at(-1);
    expect(first > (highest as string)).toBe(true);
    reserve.mockRestore();
  });
});
