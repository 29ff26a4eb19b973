import type { AuthorityBatchIssueItem, Envelope } from '@fapiao/contracts';
import type { OutboxWriter } from '@fapiao/platform/messaging';
import { parseMaintenanceDays } from '@fapiao/invoice-domain';
import { OutcomeUnknown, type IssueOutcome } from '../../domain/authority-outcome';
import { Submission } from '../../domain/submission';
import type { TaxAuthorityAdapter } from '../../infrastructure/authority/tax-authority.adapter';
import { AuthorityPolicy, type AuthorityPolicyOptions } from '../authority-policy';
import { BATCH_BODY_BYTES, IssueInvoiceOperation } from './issue-invoice.operation';

const days = parseMaintenanceDays('25-27');
const options = (overrides: Partial<AuthorityPolicyOptions> = {}): AuthorityPolicyOptions => ({
  timeoutMs: 200,
  concurrency: 3,
  retryBaseMs: 10,
  retryCapMs: 50,
  retryMaxAttempts: 3,
  circuit: { failureRatio: 0.99, sampleMs: 1_000, minimumRps: 1_000, halfOpenAfterMs: 300 },
  rateLimitPerSecond: 1_000,
  maintenance: { enabled: false, days: days.ok ? days.days : new Set<number>() },
  ...overrides,
});

/** A leased issue submission; `lineName` pads the request body. */
const leased = (serial: string, { attempts = 0, lineName = 'x' } = {}) => {
  const line = { lineNo: 1, name: lineName, taxCode: '3040201010000000000', quantity: '1', unitPrice: '1' };
  const submission = Submission.accept({
    serial,
    operation: 'issue',
    envelope: {
      tenantId: 't1',
      payload: { invoiceId: `i-${serial}`, serial, lines: [line], totals: {} },
    } as unknown as Envelope<{ invoiceId: string }>,
    traceHeaders: {},
  });
  for (let i = 0; i <= attempts; i++) {
    submission.claim(new Date(Date.now() + 30_000));
    if (i < attempts) submission.unresolved('HTTP 502', new Date());
  }
  return submission;
};

const operationWith = (policy: AuthorityPolicy, authority: Partial<TaxAuthorityAdapter>) =>
  new IssueInvoiceOperation(policy, authority as TaxAuthorityAdapter, {} as OutboxWriter);

describe('IssueInvoiceOperation batch uploads', () => {
  it('batches only submissions never sent before', () => {
    const operation = operationWith(new AuthorityPolicy(options()), {});
    expect(operation.batchable(leased('fresh'))).toBe(true);
    expect(operation.batchable(leased('again', { attempts: 1 }))).toBe(false);
  });

  it('splits uploads at TAX_FORWARD_BATCH_MAX and at the body size the authority reads', () => {
    const operation = operationWith(new AuthorityPolicy(options()), {});
    const small = Array.from({ length: 7 }, (_, i) => leased(`s${i}`));
    expect(operation.planBatches(small, 3).map((batch) => batch.length)).toEqual([3, 3, 1]);
    // Three bodies of ~40 KB: two fit under BATCH_BODY_BYTES, the third starts another upload.
    const large = Array.from({ length: 3 }, (_, i) => leased(`l${i}`, { lineName: 'x'.repeat(40 * 1024) }));
    expect(BATCH_BODY_BYTES).toBeLessThan(100 * 1024);
    expect(operation.planBatches(large, 50).map((batch) => batch.map((s) => s.serial))).toEqual([
      ['l0', 'l1'],
      ['l2'],
    ]);
  });

  it('sends one upload and answers per serial', async () => {
    const sent: AuthorityBatchIssueItem[][] = [];
    const rejected: IssueOutcome = { kind: 'rejected', code: 'SIM.TAX_CODE_INVALID', message: 'no' };
    const operation = operationWith(new AuthorityPolicy(options()), {
      issueBatch: async (requests) => {
        sent.push(requests);
        return new Map([[requests[1].serial, rejected]]);
      },
    });
    const attempt = { mayHaveReached: false };
    const outcomes = await operation.resolveBatch([leased('b1'), leased('b2')], attempt);
    expect(sent.map((requests) => requests.map((request) => [request.serial, request.kind]))).toEqual([
      [
        ['b1', 'blue'],
        ['b2', 'blue'],
      ],
    ]);
    expect([...outcomes]).toEqual([['b2', rejected]]);
    expect(attempt.mayHaveReached).toBe(true);
  });

  it('never retries an upload within the step: after an unknown outcome each invoice is looked up first', async () => {
    let uploads = 0;
    const operation = operationWith(new AuthorityPolicy(options({ retryMaxAttempts: 3 })), {
      issueBatch: async () => {
        uploads += 1;
        throw new OutcomeUnknown('network: ECONNRESET');
      },
    });
    const attempt = { mayHaveReached: false };
    await expect(operation.resolveBatch([leased('u1'), leased('u2')], attempt)).rejects.toBeInstanceOf(
      OutcomeUnknown,
    );
    expect(uploads).toBe(1);
    expect(attempt.mayHaveReached).toBe(true);
  });

  it('refuses to put a submission sent before into an upload', async () => {
    const issueBatch = jest.fn();
    const operation = operationWith(new AuthorityPolicy(options()), { issueBatch });
    await expect(
      operation.resolveBatch([leased('n1'), leased('seen', { attempts: 1 })], { mayHaveReached: false }),
    ).rejects.toThrow('seen may have reached the authority');
    expect(issueBatch).not.toHaveBeenCalled();
  });

  it('takes one token of the rate limit per invoice of an upload', async () => {
    const calls: number[] = [];
    const policy = new AuthorityPolicy(options({ rateLimitPerSecond: 5 }));
    const operation = operationWith(policy, {
      issueBatch: async (requests) => {
        calls.push(Date.now());
        return new Map(
          requests.map((request) => [request.serial, { kind: 'rejected', code: 'X', message: '' }]),
        );
      },
    });
    const started = Date.now();
    await operation.resolveBatch(
      Array.from({ length: 5 }, (_, i) => leased(`r${i}`)),
      { mayHaveReached: false },
    );
    // The first second's five tokens are spent: the next upload of two waits for two more (400 ms).
    await operation.resolveBatch([leased('r5'), leased('r6')], { mayHaveReached: false });
    expect(calls[0] - started).toBeLessThan(100);
    expect(calls[1] - started).toBeGreaterThanOrEqual(350);
  });
});
