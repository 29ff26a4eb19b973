import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import type { AuthorityIssueRequest, Envelope, IssueInvoice, PayloadOf } from '@fapiao/contracts';
import type { OutboxWriter } from '@fapiao/platform/messaging';
import { AuthorityPaused, OutcomeUnknown, type IssueOutcome } from '../domain/authority-outcome';
import { parseMaintenanceDays } from '@fapiao/invoice-domain';
import { Submission } from '../domain/submission';
import type { TaxAuthorityAdapter } from '../infrastructure/authority/tax-authority.adapter';
import {
  AuthorityPolicy,
  circuitStateGauge,
  pausedGauge,
  reportPauses,
  type AuthorityPolicyOptions,
  type ResolveAttempt,
} from './authority-policy';
import { IssueInvoiceOperation } from './operations/issue-invoice.operation';

const ISSUED: Extract<IssueOutcome, { kind: 'issued' }> = {
  kind: 'issued',
  number: '26440000000000000001',
  issuedAt: '2026-11-21T00:00:00.000Z',
  fileRef: 'file',
  totalGross: '1000.00',
  totals: { net: '884.96', tax: '115.04', gross: '1000.00' },
};
const REJECTED: IssueOutcome = { kind: 'rejected', code: 'SIM.TAX_CODE_INVALID', message: 'no' };
/** Resolves a first attempt to issue `serial` through the policy, as the forwarder does. */
const issuer = (policy: AuthorityPolicy, authority: TaxAuthorityAdapter) => {
  const operation = new IssueInvoiceOperation(policy, authority, {} as OutboxWriter);
  return (serial: string, attempt: ResolveAttempt = { mayHaveReached: false }) =>
    operation.resolve(
      Submission.accept({
        serial,
        operation: 'issue',
        envelope: { tenantId: 't1', payload: { invoiceId: 'i1', serial, lines: [] } } as unknown as Envelope<
          PayloadOf<typeof IssueInvoice>
        >,
        traceHeaders: {},
      }),
      attempt,
    );
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const days = (text: string) => {
  const parsed = parseMaintenanceDays(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.days;
};

type Answer = () => Promise<IssueOutcome>;
const notUsed = (): never => {
  throw new Error('not used by these tests');
};

/** An authority whose issue answers come from a script; records every call with its time. */
class FakeAuthority implements TaxAuthorityAdapter {
  readonly calls: { op: 'issue' | 'query'; serial: string; at: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  issued = new Set<string>();

  constructor(private readonly next: (serial: string) => Answer) {}

  async issue(req: AuthorityIssueRequest): Promise<IssueOutcome> {
    this.calls.push({ op: 'issue', serial: req.serial, at: Date.now() });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.next(req.serial)();
    } finally {
      this.inFlight -= 1;
    }
  }

  async findBySerial(serial: string) {
    this.calls.push({ op: 'query', serial, at: Date.now() });
    return this.issued.has(serial) ? ISSUED : null;
  }

  // Batches are the IssueInvoiceOperation's business (issue-invoice.operation.spec.ts); forms the
  // ReverseInvoiceOperation's (reverse-invoice.operation.spec.ts).
  issueBatch = notUsed;
  raiseRedLetterForm = notUsed;
  findRedLetterForm = notUsed;
  getRedLetterForm = notUsed;
}

const options = (overrides: Partial<AuthorityPolicyOptions> = {}): AuthorityPolicyOptions => ({
  timeoutMs: 200,
  concurrency: 3,
  retryBaseMs: 10,
  retryCapMs: 50,
  retryMaxAttempts: 0,
  circuit: { failureRatio: 0.5, sampleMs: 1_000, minimumRps: 4, halfOpenAfterMs: 300 },
  rateLimitPerSecond: 1_000,
  maintenance: { enabled: false, days: days('25-27') },
  ...overrides,
});

const ok: Answer = async () => ISSUED;
const fail: Answer = async () => {
  throw new OutcomeUnknown('HTTP 502');
};
const reject: Answer = async () => REJECTED;
const gauge = async () => (await circuitStateGauge.get()).values[0]?.value;

const pausedFor = async (reason: string) =>
  (await pausedGauge.get()).values.find((sample) => sample.labels.reason === reason)?.value;

describe('AuthorityPolicy', () => {
  it('opens the circuit past the failure ratio, half-opens after the delay and closes on success', async () => {
    let answer: Answer = reject;
    const authority = new FakeAuthority(() => answer);
    const policy = new AuthorityPolicy(options());
    const issue = issuer(policy, authority);

    // Definite rejections are the authority working: they count as successes.
    for (let i = 0; i < 3; i++) await expect(issue(`r${i}`)).resolves.toEqual(REJECTED);
    answer = fail;
    // 3 successes + 3 failures is exactly the ratio (0.5), not past it.
    for (let i = 0; i < 3; i++) await expect(issue(`f${i}`)).rejects.toBeInstanceOf(OutcomeUnknown);
    expect(policy.circuit.state).toBe('closed');
    await expect(issue('f3')).rejects.toBeInstanceOf(OutcomeUnknown);
    expect(policy.circuit.state).toBe('open');
    expect(await gauge()).toBe(2);

    // Open: nothing reaches the authority and the forwarder may lease nothing.
    const calls = authority.calls.length;
    await expect(issue('blocked')).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(authority.calls).toHaveLength(calls);
    expect(policy.admission()).toBe(0);

    await sleep(320);
    // One probe once the delay is over; it fails and the circuit opens again.
    expect(policy.admission()).toBe(1);
    await expect(issue('probe1')).rejects.toBeInstanceOf(OutcomeUnknown);
    expect(policy.circuit.state).toBe('open');
    expect(policy.admission()).toBe(0);

    await sleep(320);
    let stateDuringProbe = '';
    answer = () => {
      stateDuringProbe = policy.circuit.state;
      return ok();
    };
    await expect(issue('probe2')).resolves.toEqual(ISSUED);
    expect(stateDuringProbe).toBe('half-open');
    expect(policy.circuit.state).toBe('closed');
    expect(await gauge()).toBe(0);
    expect(policy.admission()).toBe(3);
  });

  it('never trips on definite rejections', async () => {
    const policy = new AuthorityPolicy(options());
    const issue = issuer(policy, new FakeAuthority(() => reject));
    for (let i = 0; i < 20; i++) await expect(issue(`r${i}`)).resolves.toEqual(REJECTED);
    expect(policy.circuit.state).toBe('closed');
  });

  it('limits concurrent submissions to the bulkhead and refuses beyond it', async () => {
    const authority = new FakeAuthority(() => async () => {
      await sleep(50);
      return ISSUED;
    });
    const policy = new AuthorityPolicy(options({ concurrency: 3 }));
    const issue = issuer(policy, authority);
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => issue(`b${i}`)));
    expect(authority.maxInFlight).toBe(3);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(
      results.filter((r) => r.status === 'rejected' && r.reason instanceof BulkheadRejectedError),
    ).toHaveLength(2);
    expect(policy.admission()).toBe(3);
  });

  it('sends nothing before a Retry-After ends, and pauses leasing until then', async () => {
    let answer: Answer = async () => {
      throw new AuthorityPaused('rate_limited', new Date(Date.now() + 400), 'HTTP 429');
    };
    const authority = new FakeAuthority(() => answer);
    const policy = reportPauses(new AuthorityPolicy(options()));
    const issue = issuer(policy, authority);
    const attempt = { mayHaveReached: false };
    const refusedAt = Date.now();
    await expect(issue('p1', attempt)).rejects.toBeInstanceOf(AuthorityPaused);
    // Refused at the door: the request was not processed, so the lease can be given back.
    expect(attempt.mayHaveReached).toBe(false);
    expect(policy.currentPause()?.reason).toBe('rate_limited');
    expect(policy.admission()).toBe(0);
    expect(policy.circuit.state).toBe('closed');
    expect(await pausedFor('rate_limited')).toBe(1);

    answer = ok;
    await expect(issue('p2')).rejects.toBeInstanceOf(AuthorityPaused);
    expect(authority.calls).toHaveLength(1);

    await sleep(Math.max(0, refusedAt + 420 - Date.now()));
    // The pause ran out on its own: a scrape says so without anything else having happened.
    expect(await pausedFor('rate_limited')).toBe(0);
    expect(policy.admission()).toBe(3);
    await expect(issue('p2')).resolves.toEqual(ISSUED);
    expect(authority.calls[1].at).toBeGreaterThanOrEqual(refusedAt + 400);
  });

  it('also honours Retry-After on an unknown 503, and queries by serial before it resubmits', async () => {
    const authority = new FakeAuthority(() => async () => {
      throw new OutcomeUnknown('HTTP 503', 300);
    });
    const policy = new AuthorityPolicy(options({ retryMaxAttempts: 2 }));
    const issue = issuer(policy, authority);
    const attempt = { mayHaveReached: false };
    await expect(issue('u1', attempt)).rejects.toBeInstanceOf(AuthorityPaused);
    // The 503 may have been processed: whatever comes next must query first.
    expect(attempt.mayHaveReached).toBe(true);
    expect(authority.calls.map((c) => c.op)).toEqual(['issue']);
    expect(policy.currentPause()?.reason).toBe('retry_after');
  });

  it('retries the whole step: after an unknown issue it queries by serial and never re-posts an issued one', async () => {
    const authority = new FakeAuthority((serial) => async () => {
      // The authority processed the request but the answer was lost.
      authority.issued.add(serial);
      throw new OutcomeUnknown('network: ECONNRESET');
    });
    const policy = new AuthorityPolicy(options({ retryMaxAttempts: 3 }));
    const issue = issuer(policy, authority);
    await expect(issue('l1')).resolves.toEqual(ISSUED);
    expect(authority.calls.map((c) => c.op)).toEqual(['issue', 'query']);
  });

  it('times out a call that does not answer and treats it as unknown', async () => {
    const authority = new FakeAuthority(() => () => new Promise(() => undefined));
    const policy = new AuthorityPolicy(options({ timeoutMs: 100 }));
    const issue = issuer(policy, authority);
    const started = Date.now();
    await expect(issue('t1')).rejects.toThrow('no answer within 100 ms');
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('spaces calls by the configured rate', async () => {
    const authority = new FakeAuthority(() => ok);
    const policy = new AuthorityPolicy(options({ rateLimitPerSecond: 5, concurrency: 10 }));
    const issue = issuer(policy, authority);
    await Promise.all(Array.from({ length: 7 }, (_, i) => issue(`q${i}`)));
    const times = authority.calls.map((c) => c.at);
    // A second's worth (5) at once, then one every 200 ms.
    expect(times[6] - times[0]).toBeGreaterThanOrEqual(350);
  });

  it('pauses during a maintenance window of the calendar', () => {
    const today = new Date(Date.now() + 8 * 3_600_000).getUTCDate();
    const policy = new AuthorityPolicy(
      options({ maintenance: { enabled: true, days: days(String(today)) } }),
    );
    expect(policy.currentPause()?.reason).toBe('maintenance');
    expect(policy.admission()).toBe(0);
    expect(policy.nextMaintenanceWindow()?.start.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
