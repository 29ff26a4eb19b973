import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Facts = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Result = { name: string; violations: { order: string | null; detail: string }[] }[];
type CheckModule = { checkInvariants(facts: Facts): Result };

/**
 * Three orders that went right: A invoiced, B partly reversed, C cancelled after its invoice (full red).
 * Each test breaks one fact the way a real fault would and expects exactly that invariant to fail.
 */
function goodFacts(): Facts {
  const client = (externalId: string, id: string, followUp: string, unitPrice: string) => ({
    externalId,
    id,
    channel: 'http',
    followUp,
    unitPrice,
    accepted: true,
    violations: [],
  });
  const order = (id: string, externalId: string, status: string, invoicedGross: string) => ({
    id,
    externalId,
    status,
    invoicedGross,
    rejection: null,
    reversalError: null,
  });
  const blue = (
    orderId: string,
    number: string,
    gross: string,
    status: string,
    reversals: unknown[] = [],
  ) => ({
    id: `inv-${orderId}`,
    orderId,
    status,
    number,
    totals: { gross },
    reversals,
  });
  const reversal = (id: string, number: string, gross: string) => ({
    id,
    status: 'REVERSED',
    red: { number, totals: { gross } },
  });
  const authority = (number: string, kind: string, gross: string, originalNumber: string | null = null) => ({
    number,
    kind,
    totals: { gross },
    originalNumber,
    issuedAt: '2026-11-29T00:00:00.000Z',
  });
  return {
    clients: [
      client('X-A', 'a', 'none', '1000.00'),
      client('X-B', 'b', 'partial', '500.00'),
      client('X-C', 'c', 'cancel', '300.00'),
    ],
    orders: [
      order('a', 'X-A', 'INVOICED', '1000.00'),
      order('b', 'X-B', 'PARTIALLY_REVERSED', '394.00'),
      order('c', 'X-C', 'CANCELLED', '0.00'),
    ],
    invoices: [
      blue('a', '1'.repeat(20), '1000.00', 'ISSUED'),
      blue('b', '2'.repeat(20), '500.00', 'PARTIALLY_REVERSED', [reversal('rb', '4'.repeat(20), '-106.00')]),
      blue('c', '3'.repeat(20), '300.00', 'REVERSED', [reversal('rc', '5'.repeat(20), '-300.00')]),
    ],
    authority: [
      authority('1'.repeat(20), 'blue', '1000.00'),
      authority('2'.repeat(20), 'blue', '500.00'),
      authority('3'.repeat(20), 'blue', '300.00'),
      authority('4'.repeat(20), 'red', '-106.00', '2'.repeat(20)),
      authority('5'.repeat(20), 'red', '-300.00', '3'.repeat(20)),
    ],
    sagas: [],
    discrepancies: [],
    recon: { a: { status: 'MATCHED' }, b: { status: 'MATCHED' }, c: { status: 'REVERSED' } },
    deadLetters: [{ topic: 'fapiao.invoice-requests.v1.dlq', key: 'poison-1', code: 'MESSAGE.NOT_JSON' }],
    poison: ['poison-1'],
    services: { invoice: { ready: true, crashLooping: false, unexpectedExits: [] } },
  };
}

describe('chaos invariants', () => {
  let checkInvariants: CheckModule['checkInvariants'];
  beforeAll(async () => {
    ({ checkInvariants } = (await import(pathToFileURL(join(__dirname, 'check.mjs')).href)) as CheckModule);
  });

  const failing = (facts: Facts) =>
    Object.fromEntries(
      checkInvariants(facts)
        .filter((i) => i.violations.length)
        .map((i) => [i.name, i.violations]),
    );

  it('holds for a run that went right', () => {
    expect(failing(goodFacts())).toEqual({});
  });

  it.each([
    [
      'accepted-terminal',
      'an accepted order that is lost',
      (f: Facts) => (f.orders = f.orders.filter((o: Facts) => o.id !== 'a')),
      'X-A',
    ],
    [
      'accepted-terminal',
      'an order stuck in INVOICING',
      (f: Facts) => Object.assign(f.orders[0], { status: 'INVOICING' }),
      'X-A',
    ],
    [
      'intake-once',
      'a second order for one external id',
      (f: Facts) => f.orders.push({ ...f.orders[0], id: 'a2' }),
      'X-A',
    ],
    [
      'outcome',
      'a partial reversal that never happened',
      (f: Facts) => Object.assign(f.orders[1], { status: 'INVOICED' }),
      'X-B',
    ],
    [
      'blue-once',
      'the same order issued twice at the authority',
      (f: Facts) => f.authority.push({ ...f.authority[0] }),
      'X-A',
    ],
    [
      'red-once',
      'a red invoice at the authority fapiao does not know',
      (f: Facts) =>
        f.authority.push({
          number: '9'.repeat(20),
          kind: 'red',
          totals: { gross: '-1.00' },
          originalNumber: '1'.repeat(20),
        }),
      'X-A',
    ],
    [
      'totals',
      'a blue invoice whose totals differ at the authority',
      (f: Facts) => (f.authority[1].totals.gross = '501.00'),
      'X-B',
    ],
    [
      'authority-count',
      'an invoice at the authority for no order of fapiao',
      (f: Facts) =>
        f.authority.push({
          number: '8'.repeat(20),
          kind: 'blue',
          totals: { gross: '1.00' },
          originalNumber: null,
        }),
      '8'.repeat(20),
    ],
    [
      'authority-count',
      'a second issue of an order at the authority under another serial',
      (f: Facts) =>
        f.authority.push({
          number: '7'.repeat(20),
          kind: 'blue',
          serial: 'FPX',
          totals: { gross: '500.00' },
          originalNumber: null,
        }),
      'X-B',
    ],
    [
      'sagas-settled',
      'a saga needing attention',
      (f: Facts) =>
        f.sagas.push({
          id: 's',
          type: 'issuance',
          state: 'NEEDS_ATTENTION',
          step: 'SUBMITTED',
          data: { orderId: 'a' },
        }),
      'X-A',
    ],
    [
      'reconciled',
      'an open discrepancy',
      (f: Facts) => f.discrepancies.push({ orderId: 'b', type: 'TOTAL_MISMATCH', detail: 'x' }),
      'X-B',
    ],
    [
      'dead-letters',
      'a dead-lettered order event',
      (f: Facts) => f.deadLetters.push({ topic: 'fapiao.orders.v1.dlq', key: 'a', code: 'HANDLER.FAILED' }),
      'a',
    ],
    [
      'dead-letters',
      'a planted poison message that was consumed',
      (f: Facts) => (f.deadLetters = []),
      'poison-1',
    ],
    [
      'client-answers',
      'a cancel refused',
      (f: Facts) =>
        f.clients[2].violations.push({ invariant: 'client-answers', detail: 'cancel answered 500' }),
      'X-C',
    ],
    [
      'services-healthy',
      'a service that exited by itself',
      (f: Facts) =>
        f.services.invoice.unexpectedExits.push({
          at: 'now',
          code: 1,
          signal: null,
          lastLines: ['Error: boom'],
        }),
      'invoice',
    ],
    [
      'services-healthy',
      'a crash-looping service',
      (f: Facts) => Object.assign(f.services.invoice, { crashLooping: true, unexpectedExits: [{}, {}, {}] }),
      'invoice',
    ],
  ])('%s fails for %s, naming it', (invariant, _what, breakIt, culprit) => {
    const facts = goodFacts();
    breakIt(facts);
    const failed = failing(facts);
    expect(failed[invariant]?.map((v: { order: string | null }) => v.order)).toContain(culprit);
  });
});
