/**
 * Red-letter reversal (红冲) end to end, every service a process: POST /v1/invoices/:id/reverse → the
 * confirmation form at the authority (confirmed by the buyer where required) → the negative invoice that
 * references the blue one → invoice, order and reconciliation updated; cancelling an invoiced order starts it.
 */
import { eventually, sampleOrder, startTestSuite, SuiteApi, type Suite } from '@fapiao/testing';

jest.setTimeout(180_000);

interface Reversal {
  id: string;
  status: string;
  cause: string;
  kind: string;
  plannedTotals: { net: string; tax: string; gross: string };
  form: { serial: string; id: string | null };
  red: { serial: string; number: string | null; totals: { gross: string } | null };
  error: { code: string } | null;
}
interface Invoice {
  id: string;
  status: string;
  number: string | null;
  reversals: Reversal[];
}
interface ErrorBody {
  code: string;
  field?: string;
}

/** Two lines: 1000.00 at 6 % and 500.00 at 13 %, both gross prices. */
const twoLineOrder = (externalId: string) => {
  const order = sampleOrder(externalId);
  order.lines.push({
    name: '*计算机外部设备*键盘',
    taxCode: '1090511030000000000',
    quantity: '5',
    unitPrice: '100.00',
    taxRate: '0.13',
    priceIncludesTax: true,
  });
  return order;
};

describe('red-letter reversal end to end', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 700,
      dbPrefix: 'e2e_reversal_',
      extra: {
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        CONSUMER_RETRY_DELAY_MS: '200',
        INVOICE_SUBMISSION_TIMEOUT_MS: '5000',
        TAX_FORM_POLL_MS: '300',
        TAX_FORM_POLL_MAX_MS: '1000',
      },
    });
    api = await SuiteApi.connect(suite);
  });

  afterAll(() => suite?.dispose());

  /** The simulated authority's own API: what it issued, and the buyer's answers (control: admin token). */
  const sim = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${api.url('tax-authority-sim')}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${suite.simAdminToken}`, 'content-type': 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const invoiced = async (externalId: string, body = sampleOrder(externalId)) => {
    const { body: placed } = await api.placeOrder(body, `rev-${externalId}`);
    await eventually(async () => (await api.order(placed.id)).status === 'INVOICED', 60_000, 300);
    const order = await api.order(placed.id);
    return { orderId: placed.id, invoiceId: order.invoiceId as string };
  };

  const invoice = async (id: string) => (await api.request<Invoice>('invoice', `/v1/invoices/${id}`)).body;

  const reverse = (invoiceId: string, body: unknown, idempotencyKey?: string) =>
    api.request<Reversal & ErrorBody>('invoice', `/v1/invoices/${invoiceId}/reverse`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    });

  const reversal = async (invoiceId: string, reversalId: string) =>
    (await api.request<Reversal>('invoice', `/v1/invoices/${invoiceId}/reversals/${reversalId}`)).body;

  const waitReversal = async (invoiceId: string, reversalId: string, status: string) => {
    await eventually(async () => (await reversal(invoiceId, reversalId)).status === status, 60_000, 300);
    return reversal(invoiceId, reversalId);
  };

  const waitOrder = (orderId: string, status: string) =>
    eventually(async () => (await api.order(orderId)).status === status, 60_000, 300);

  const recon = async (orderId: string) =>
    (
      await api.request<{ status: string; netGross: string; authorityNetGross: string }>(
        'reconciliation',
        `/v1/reconciliation/orders/${orderId}`,
      )
    ).body;

  const redLetterForms = async (blueNumber: string) =>
    (await sim(`/v1/red-letter-forms?blueNumber=${blueNumber}`)).body as unknown as { id: string }[];

  it('reverses in full without confirmation, with a red-letter invoice referencing the blue one; a second full reversal is refused', async () => {
    const { orderId, invoiceId } = await invoiced('REV-FULL');
    const blue = await invoice(invoiceId);

    const accepted = await reverse(invoiceId, { reasonCode: '01' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'REQUESTED', kind: 'full', cause: 'request' });
    expect(accepted.body.plannedTotals.gross).toBe('-1000.00');

    const done = await waitReversal(invoiceId, accepted.body.id, 'REVERSED');
    expect(done.red.number).toMatch(/^\d{20}$/);
    const { body: red } = await sim(`/v1/invoices/${done.red.number}`);
    expect(red).toMatchObject({
      kind: 'red',
      originalNumber: blue.number,
      redLetterFormId: done.form.id,
      totals: { gross: '-1000.00' },
    });
    const { body: form } = await sim(`/v1/red-letter-forms/${done.form.id}`);
    expect(form).toMatchObject({ state: 'issued', scope: 'full', redInvoiceNumber: done.red.number });

    expect((await invoice(invoiceId)).status).toBe('REVERSED');
    await waitOrder(orderId, 'REVERSED');
    await eventually(async () => (await recon(orderId)).status === 'REVERSED', 30_000, 300);
    expect(await recon(orderId)).toMatchObject({ netGross: '0.00', authorityNetGross: '0.00' });

    const formsBefore = (await redLetterForms(blue.number as string)).length;
    const again = await reverse(invoiceId, { reasonCode: '01' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'REVERSAL.ALREADY_FULLY_REVERSED' });
    const partial = await reverse(invoiceId, { reasonCode: '02', lines: [{ lineNo: 1, amount: '1.00' }] });
    expect(partial.body.code).toBe('REVERSAL.ALREADY_FULLY_REVERSED');
    expect(await redLetterForms(blue.number as string)).toHaveLength(formsBefore);
  });

  it('reverses in part once the buyer confirms; refuses an over-reversal; cancelling the order reverses the rest', async () => {
    const { orderId, invoiceId } = await invoiced('REV-PART', twoLineOrder('REV-PART'));
    const blue = await invoice(invoiceId);
    // Line 1: 1000.00 gross at 6 % = 943.40 net. Take back 300.00 net of it.
    const request = { reasonCode: '02', lines: [{ lineNo: 1, amount: '300.00' }] };
    const accepted = await reverse(invoiceId, request, 'rev-part-1');
    expect(accepted.status).toBe(202);
    expect(accepted.body.plannedTotals).toEqual({ net: '-300.00', tax: '-18.00', gross: '-318.00' });

    const replay = await reverse(invoiceId, request, 'rev-part-1');
    expect(replay.body.id).toBe(accepted.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const reused = await reverse(invoiceId, { ...request, reasonCode: '03' }, 'rev-part-1');
    expect(reused.body).toMatchObject({ code: 'REVERSAL.IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    // Keys compare byte for byte: the same key in other case is another request, refused for the one running.
    const otherKey = await reverse(invoiceId, { ...request, reasonCode: '03' }, 'REV-PART-1');
    expect(otherKey).toMatchObject({ status: 409, body: { code: 'REVERSAL.IN_PROGRESS' } });
    const whileRunning = await reverse(invoiceId, {
      reasonCode: '02',
      lines: [{ lineNo: 2, amount: '1.00' }],
    });
    expect(whileRunning).toMatchObject({ status: 409, body: { code: 'REVERSAL.IN_PROGRESS' } });

    const waiting = await waitReversal(invoiceId, accepted.body.id, 'AWAITING_CONFIRMATION');
    expect(waiting.form.id).toBeTruthy();
    const confirmed = await sim(`/v1/red-letter-forms/${waiting.form.id}/confirm`, {
      method: 'POST',
      body: JSON.stringify({ by: 'buyer' }),
    });
    expect(confirmed.body.state).toBe('confirmed');
    const done = await waitReversal(invoiceId, accepted.body.id, 'REVERSED');
    expect(done.red.totals?.gross).toBe('-318.00');
    expect((await invoice(invoiceId)).status).toBe('PARTIALLY_REVERSED');
    await waitOrder(orderId, 'PARTIALLY_REVERSED');
    // 1500.00 blue − 318.00 red, on the invoice side and at the authority (it was MATCHED at 1500.00 before).
    await eventually(
      async () => {
        const now = await recon(orderId);
        return now.netGross === '1182.00' && now.authorityNetGross === '1182.00';
      },
      30_000,
      300,
    );
    expect(await recon(orderId)).toMatchObject({
      status: 'MATCHED',
      netGross: '1182.00',
      authorityNetGross: '1182.00',
    });

    const formsBefore = (await redLetterForms(blue.number as string)).length;
    const over = await reverse(invoiceId, { reasonCode: '02', lines: [{ lineNo: 1, amount: '643.41' }] });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'REVERSAL.EXCEEDS_REMAINING', field: 'lines[0].amount' });
    const fullAfterPartial = await reverse(invoiceId, { reasonCode: '02' });
    expect(fullAfterPartial).toMatchObject({
      status: 409,
      body: { code: 'REVERSAL.ALREADY_PARTIALLY_REVERSED' },
    });
    expect(await redLetterForms(blue.number as string)).toHaveLength(formsBefore);

    const cancelled = await api.request<{ status: string }>('order', `/v1/orders/${orderId}/cancel`, {
      method: 'POST',
      body: JSON.stringify({ reasonCode: '02' }),
    });
    expect(cancelled.body.status).toBe('CANCELLING');
    // What remains is taken back in part (line 1's rest, all of line 2): that needs the buyer again.
    let rest: Reversal | undefined;
    await eventually(
      async () => {
        rest = (await invoice(invoiceId)).reversals.find(
          (each) => each.cause === 'order-cancelled' && each.status === 'AWAITING_CONFIRMATION',
        );
        return Boolean(rest);
      },
      60_000,
      300,
    );
    await sim(`/v1/red-letter-forms/${rest?.form.id}/confirm`, {
      method: 'POST',
      body: JSON.stringify({ by: 'buyer' }),
    });
    await waitOrder(orderId, 'CANCELLED');
    expect((await invoice(invoiceId)).status).toBe('REVERSED');
    await eventually(async () => (await recon(orderId)).status === 'REVERSED', 30_000, 300);
    expect(await recon(orderId)).toMatchObject({ netGross: '0.00', authorityNetGross: '0.00' });
  });

  it('cancelling an invoiced order reverses it in full; a declined form leaves the invoice as it was', async () => {
    const first = await invoiced('REV-CANCEL');
    const cancelled = await api.request<{ status: string }>('order', `/v1/orders/${first.orderId}/cancel`, {
      method: 'POST',
    });
    expect(cancelled.body.status).toBe('CANCELLING');
    await waitOrder(first.orderId, 'CANCELLED');
    const [reversed] = (await invoice(first.invoiceId)).reversals;
    expect(reversed).toMatchObject({ cause: 'order-cancelled', kind: 'full', status: 'REVERSED' });
    const { body: red } = await sim(`/v1/invoices/${reversed.red.number}`);
    expect(red).toMatchObject({ kind: 'red', totals: { gross: '-1000.00' } });

    const second = await invoiced('REV-DECLINE');
    const accepted = await reverse(second.invoiceId, {
      reasonCode: '04',
      lines: [{ lineNo: 1, amount: '100.00' }],
    });
    const waiting = await waitReversal(second.invoiceId, accepted.body.id, 'AWAITING_CONFIRMATION');
    await sim(`/v1/red-letter-forms/${waiting.form.id}/decline`, {
      method: 'POST',
      body: JSON.stringify({ by: 'buyer' }),
    });
    const refused = await waitReversal(second.invoiceId, accepted.body.id, 'REFUSED');
    expect(refused.error?.code).toBe('REVERSAL.FORM_DECLINED');
    expect((await invoice(second.invoiceId)).status).toBe('ISSUED');
    expect((await api.order(second.orderId)).status).toBe('INVOICED');
    // The invoice can be reversed again afterwards.
    expect(
      (await reverse(second.invoiceId, { reasonCode: '04', lines: [{ lineNo: 1, amount: '100.00' }] }))
        .status,
    ).toBe(202);
  });

  it('refuses bad requests with stable codes and the field, never a 500', async () => {
    const { invoiceId } = await invoiced('REV-BAD');
    const badReason = await reverse(invoiceId, { reasonCode: '09' });
    expect(badReason.status).toBe(422);
    expect(badReason.body.field).toBe('reasonCode');
    const extra = await reverse(invoiceId, { reasonCode: '02', lines: [{ lineNo: 1, amount: '1.005' }] });
    expect(extra).toMatchObject({ status: 422, body: { field: 'lines[0].amount' } });
    const partialInError = await reverse(invoiceId, {
      reasonCode: '01',
      lines: [{ lineNo: 1, amount: '1.00' }],
    });
    expect(partialInError.body).toMatchObject({ code: 'REVERSAL.REASON_REQUIRES_FULL', field: 'reasonCode' });
    const unknownLine = await reverse(invoiceId, {
      reasonCode: '02',
      lines: [{ lineNo: 5, amount: '1.00' }],
    });
    expect(unknownLine.body).toMatchObject({ code: 'REVERSAL.UNKNOWN_LINE', field: 'lines[0].lineNo' });
    const missing = await reverse('0196a000-0000-7000-8000-00000000dead', { reasonCode: '02' });
    expect(missing).toMatchObject({ status: 404, body: { code: 'INVOICE.NOT_FOUND' } });
    expect((await invoice(invoiceId)).reversals).toEqual([]);
  });
});
