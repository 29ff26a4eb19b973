// The forwarder with the real AuthorityPolicy and operations over an in-memory queue and a scripted
// authority: how claimed submissions are grouped into batch uploads, and what each batch answer (or
// its absence) does to every submission in it.
import type { AuthorityBatchIssueItem, AuthorityIssueRequest, Envelope } from '@fapiao/contracts';
import type { OutboxWriter } from '@fapiao/platform/messaging';
import type { UnitOfWork } from '@fapiao/platform/persistence';
import { parseMaintenanceDays } from '@fapiao/invoice-domain';
import { AuthorityPaused, OutcomeUnknown, type IssueOutcome, type Issued } from '../domain/authority-outcome';
import { Submission } from '../domain/submission';
import type { SubmissionOperation } from '../domain/submission-state';
import type { SubmissionRepository } from '../domain/submission.repository';
import type { TaxAuthorityAdapter } from '../infrastructure/authority/tax-authority.adapter';
import type { TaxBridgeConfig } from '../tax-bridge.config';
import { AuthorityPolicy } from './authority-policy';
import { OutcomePublisher } from './outcome-publisher';
import { AuthorityOperations } from './operations/authority-operations';
import { IssueInvoiceOperation } from './operations/issue-invoice.operation';
import { ReverseInvoiceOperation } from './operations/reverse-invoice.operation';
import { SubmissionForwarder } from './submission-forwarder';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const issuedAs = (serial: string): Issued => ({
  kind: 'issued',
  number: `2644100000${serial.replace(/\D/g, '').padStart(10, '0')}`,
  issuedAt: '2026-11-21T00:00:00.000Z',
  fileRef: `file-${serial}`,
  totalGross: '1130.00',
  totals: { net: '1000.00', tax: '130.00', gross: '1130.00' },
});

/** The store-and-forward queue in memory, claiming as the SQL does (due, oldest first, never-sent filter). */
class MemoryQueue {
  readonly all: Submission[] = [];
  claims: { limit: number; neverSent?: SubmissionOperation }[] = [];

  async claimDue(limit: number, leaseMs: number, only?: { neverSent: SubmissionOperation }) {
    this.claims.push({ limit, neverSent: only?.neverSent });
    const now = Date.now();
    const due = this.all.filter((submission) =>
      only
        ? submission.state === 'QUEUED' &&
          submission.operation === only.neverSent &&
          submission.nextAttemptAt.getTime() <= now
        : (['QUEUED', 'UNKNOWN', 'AWAITING'].includes(submission.state) &&
            submission.nextAttemptAt.getTime() <= now) ||
          (submission.state === 'SENDING' && (submission.leaseUntil?.getTime() ?? 0) < now),
    );
    const claimed = due.slice(0, limit);
    for (const submission of claimed) submission.claim(new Date(now + leaseMs));
    return claimed;
  }

  async saveLeased() {
    return true;
  }

  async saveLeasedAll(submissions: Submission[]) {
    return submissions.map(() => true);
  }

  async stats() {
    return { depth: 0, unknown: 0, oldestQueuedAt: null, awaitingConfirmation: 0 };
  }
}

/** What the authority does: batch uploads and single calls are scripted per test; it remembers what it issued. */
class ScriptedAuthority implements Partial<TaxAuthorityAdapter> {
  readonly calls: string[] = [];
  readonly issued = new Map<string, Issued>();
  onBatch: (requests: AuthorityBatchIssueItem[]) => Promise<Map<string, IssueOutcome>> = async (requests) =>
    new Map(requests.map((request) => [request.serial, this.issue1(request.serial)]));

  issue1(serial: string): Issued {
    const invoice = this.issued.get(serial) ?? issuedAs(serial);
    this.issued.set(serial, invoice);
    return invoice;
  }

  async issueBatch(requests: AuthorityBatchIssueItem[]) {
    this.calls.push(`batch ${requests.map((request) => request.serial).join(',')}`);
    return this.onBatch(requests);
  }

  async issue(request: AuthorityIssueRequest): Promise<IssueOutcome> {
    this.calls.push(`issue ${request.serial}`);
    return this.issue1(request.serial);
  }

  async findBySerial(serial: string) {
    this.calls.push(`query ${serial}`);
    return this.issued.get(serial) ?? null;
  }
}

const days = parseMaintenanceDays('25-27');
const config = (overrides: Partial<TaxBridgeConfig> = {}) =>
  ({
    timeoutMs: 100,
    concurrency: 2,
    batch: 2,
    batchMax: 5,
    leaseMs: 30_000,
    pollMs: 5,
    retryBaseMs: 1,
    retryCapMs: 1,
    retryMaxAttempts: 0,
    circuit: { failureRatio: 0.99, sampleMs: 1_000, minimumRps: 1_000, halfOpenAfterMs: 1_000 },
    rateLimitPerSecond: 1_000,
    maintenance: { enabled: false, days: days.ok ? days.days : new Set<number>() },
    formPoll: { minMs: 60_000, maxMs: 3_600_000 },
    ...overrides,
  }) as TaxBridgeConfig;

function setup(overrides: Partial<TaxBridgeConfig> = {}) {
  const settings = config(overrides);
  const queue = new MemoryQueue();
  const authority = new ScriptedAuthority();
  const policy = new AuthorityPolicy(settings);
  const announced: { serial: string; type: string; unitOfWork: number }[] = [];
  let unitOfWork = 0;
  let current = 0;
  const outbox = {
    append: async (contract: { type: string }, message: { payload: { serial: string } }) =>
      void announced.push({ serial: message.payload.serial, type: contract.type, unitOfWork: current }),
  } as unknown as OutboxWriter;
  const adapter = authority as unknown as TaxAuthorityAdapter;
  const operations = new AuthorityOperations(
    new IssueInvoiceOperation(policy, adapter, outbox),
    new ReverseInvoiceOperation(policy, adapter, outbox, settings),
  );
  const units = {
    run: async <T>(work: () => Promise<T>) => {
      current = ++unitOfWork;
      try {
        return await work();
      } finally {
        current = 0;
      }
    },
  } as unknown as UnitOfWork;
  const forwarder = new SubmissionForwarder(
    queue as unknown as SubmissionRepository,
    policy,
    operations,
    new OutcomePublisher(operations),
    units,
    settings,
  );
  jest.spyOn(forwarder['logger'], 'error').mockImplementation(() => undefined);
  const internals = forwarder as unknown as { round(): Promise<number>; active: Set<Promise<void>> };
  /** One round of the forwarder, and everything it started; resolves with the idle it asked for. */
  const round = async () => {
    const idleMs = await internals.round();
    await Promise.all([...internals.active]);
    return idleMs;
  };
  /** Rounds until nothing is due any more. */
  const drain = async () => {
    for (let i = 0; i < 50 && queue.all.some((s) => !s.answered); i++) {
      await round();
      await sleep(3);
    }
  };
  const add = (serial: string, operation: SubmissionOperation = 'issue') => {
    const payload =
      operation === 'issue'
        ? {
            invoiceId: `inv-${serial}`,
            serial,
            invoiceType: 'normal',
            seller: {},
            buyer: {},
            lines: [],
            totals: {},
          }
        : { invoiceId: `inv-${serial}`, reversalId: serial, formSerial: `RF${serial}`, redSerial: serial };
    const submission = Submission.accept({
      serial,
      operation,
      envelope: { id: `cmd-${serial}`, tenantId: 't1', payload } as unknown as Envelope<{
        invoiceId: string;
      }>,
      traceHeaders: {},
    });
    queue.all.push(submission);
    return submission;
  };
  const bySerial = (serial: string) => queue.all.find((s) => s.serial === serial) as Submission;
  return {
    forwarder,
    queue,
    authority,
    policy,
    announced,
    add,
    round,
    drain,
    bySerial,
    units: () => unitOfWork,
  };
}

describe('SubmissionForwarder batch uploads', () => {
  it('sends never-sent issues claimed together as one upload, topped up to TAX_FORWARD_BATCH_MAX', async () => {
    const { queue, authority, announced, add, round, drain } = setup({
      concurrency: 2,
      batch: 2,
      batchMax: 5,
    });
    for (let i = 1; i <= 7; i++) add(`S${i}`);
    await round();
    // Two claimed for the two free slots, both never sent: one upload, topped up with three more.
    expect(queue.claims.slice(0, 2)).toEqual([{ limit: 2 }, { limit: 3, neverSent: 'issue' }]);
    expect(authority.calls).toEqual(['batch S1,S2,S3,S4,S5']);
    // Recorded and announced in ONE unit of work, one outbox message per invoice.
    expect(announced.map((a) => a.serial)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5']);
    expect(new Set(announced.map((a) => a.unitOfWork)).size).toBe(1);
    expect(announced.every((a) => a.type === 'InvoiceIssuedByAuthority')).toBe(true);
    await drain();
    expect(authority.calls).toEqual(['batch S1,S2,S3,S4,S5', 'batch S6,S7']);
    expect(queue.all.map((s) => [s.state, s.attempts])).toEqual(Array(7).fill(['ISSUED', 1]));
  });

  it('claims once when the claim drains the queue: no top-up, no round when the slot frees, then the poll', async () => {
    const { forwarder, queue, authority, add, round } = setup({ concurrency: 2, batch: 2, batchMax: 5 });
    const wake = jest.spyOn(forwarder, 'wake');
    add('S1');
    // At low load every submission is alone: each extra claim was a transaction that found nothing.
    expect(await round()).toBe(5);
    expect(queue.claims).toEqual([{ limit: 2 }]);
    expect(authority.calls).toEqual(['issue S1']);
    expect(wake).not.toHaveBeenCalled();

    // A claim that fills its limit may have left more: the next round comes at once, and a freed slot wakes it.
    for (let i = 2; i <= 4; i++) add(`S${i}`);
    expect(await round()).toBe(0);
    expect(queue.claims.slice(1)).toEqual([{ limit: 2 }, { limit: 3, neverSent: 'issue' }]);
    expect(wake).toHaveBeenCalled();
  });

  it('sends what it claimed when topping the batch up fails, never leaving it to wait out the lease', async () => {
    const { queue, authority, announced, add, round } = setup({ concurrency: 2, batch: 2, batchMax: 5 });
    for (let i = 1; i <= 4; i++) add(`S${i}`);
    const claimDue = queue.claimDue.bind(queue);
    jest
      .spyOn(queue, 'claimDue')
      .mockImplementationOnce(claimDue)
      .mockRejectedValueOnce(new Error('Deadlock found when trying to get lock'));
    await round();
    expect(authority.calls).toEqual(['batch S1,S2']);
    expect(announced.map(({ serial }) => serial)).toEqual(['S1', 'S2']);
  });

  it('never batches with TAX_FORWARD_BATCH_MAX=1, nor a lone submission', async () => {
    const one = setup({ batchMax: 1 });
    one.add('A1');
    one.add('A2');
    await one.drain();
    expect(one.authority.calls).toEqual(['issue A1', 'issue A2']);

    const lone = setup();
    lone.add('L1');
    await lone.drain();
    expect(lone.authority.calls).toEqual(['issue L1']);
  });

  it('keeps resubmissions on the single path: a submission sent before is looked up by serial first', async () => {
    const { authority, add, drain, bySerial } = setup({ concurrency: 3, batch: 3 });
    add('U1');
    // U1 was sent once with no answer (and the authority did issue it): it is not batched.
    const sent = bySerial('U1');
    sent.claim(new Date(Date.now() + 30_000));
    sent.unresolved('HTTP 502', new Date());
    authority.issue1('U1');
    add('N1');
    add('N2');
    await drain();
    expect(authority.calls.sort()).toEqual(['batch N1,N2', 'query U1']);
    expect(bySerial('U1').state).toBe('ISSUED');
  });

  it('after a batch timeout every submission in it is UNKNOWN and resolved by serial, never issued twice', async () => {
    const { authority, add, round, drain, queue } = setup({ timeoutMs: 50 });
    for (const serial of ['T1', 'T2', 'T3']) add(serial);
    // The authority processes the upload (T1 and T3 issued) but the answer never comes back in time.
    authority.onBatch = async () => {
      authority.issue1('T1');
      authority.issue1('T3');
      return new Promise(() => undefined);
    };
    await round();
    expect(queue.all.map((s) => [s.state, s.attempts])).toEqual(Array(3).fill(['UNKNOWN', 1]));
    expect(queue.all.every((s) => s.lastError?.includes('no answer within 50 ms'))).toBe(true);

    await drain();
    // Each was looked up by serial before anything was sent again; only T2, unknown to the authority, was issued.
    expect(authority.calls).toEqual(['batch T1,T2,T3', 'query T1', 'query T2', 'issue T2', 'query T3']);
    expect(queue.all.map((s) => s.state)).toEqual(['ISSUED', 'ISSUED', 'ISSUED']);
    expect(queue.all.every((s) => s.sentBefore)).toBe(true);
  });

  it('records a partial answer: the answered ones settle, the missing one is UNKNOWN until looked up', async () => {
    const { authority, add, round, drain, announced, bySerial } = setup();
    for (const serial of ['P1', 'P2', 'P3']) add(serial);
    authority.onBatch = async () => {
      authority.issue1('P2'); // issued, but the answer leaves it out
      return new Map<string, IssueOutcome>([
        ['P1', authority.issue1('P1')],
        ['P3', { kind: 'rejected', code: 'SIM.TAX_CODE_INVALID', message: 'bad code' }],
      ]);
    };
    await round();
    expect(['P1', 'P2', 'P3'].map((serial) => bySerial(serial).state)).toEqual([
      'ISSUED',
      'UNKNOWN',
      'REJECTED',
    ]);
    expect(announced.map((a) => [a.serial, a.type])).toEqual([
      ['P1', 'InvoiceIssuedByAuthority'],
      ['P3', 'InvoiceRejectedByAuthority'],
    ]);
    expect(new Set(announced.map((a) => a.unitOfWork)).size).toBe(1);
    await drain();
    expect(authority.calls).toEqual(['batch P1,P2,P3', 'query P2']);
    expect(bySerial('P2').state).toBe('ISSUED');
  });

  it('gives the leases back without spending attempts when the authority refuses the upload at the door', async () => {
    const { authority, add, round, queue, policy } = setup();
    for (const serial of ['R1', 'R2', 'R3']) add(serial);
    authority.onBatch = async () => {
      throw new AuthorityPaused('rate_limited', new Date(Date.now() + 60_000), 'HTTP 429');
    };
    await round();
    expect(queue.all.map((s) => [s.state, s.attempts])).toEqual(Array(3).fill(['QUEUED', 0]));
    expect(policy.currentPause()?.reason).toBe('rate_limited');
    // Paused: nothing more is leased until the Retry-After ends.
    await round();
    expect(authority.calls).toEqual(['batch R1,R2,R3']);
  });

  it('marks every submission of an upload answered with a 5xx unknown, with its Retry-After', async () => {
    const { authority, add, round, queue } = setup();
    for (const serial of ['E1', 'E2']) add(serial);
    authority.onBatch = async () => {
      throw new OutcomeUnknown('HTTP 503 SIM.UNAVAILABLE', 200);
    };
    const before = Date.now();
    await round();
    for (const submission of queue.all) {
      expect(submission.state).toBe('UNKNOWN');
      expect(submission.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 200);
    }
    expect(authority.calls).toEqual(['batch E1,E2']);
  });
});
