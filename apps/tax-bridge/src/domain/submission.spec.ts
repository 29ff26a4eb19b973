import type { Envelope, IssueInvoice, PayloadOf } from '@fapiao/contracts';
import type { Issued, Rejected } from './authority-outcome';
import { Submission } from './submission';

const envelope = {
  id: 'e1',
  tenantId: 't1',
  payload: { invoiceId: 'i1', serial: 'FP0001' },
} as Envelope<PayloadOf<typeof IssueInvoice>>;
const accepted = () =>
  Submission.accept({ serial: 'FP0001', operation: 'issue', envelope, traceHeaders: { traceparent: 'tp' } });
const lease = () => new Date(Date.now() + 30_000);
const leased = () => {
  const submission = accepted();
  submission.claim(lease());
  return submission;
};

const ISSUED: Issued = {
  kind: 'issued',
  number: '26440000000000000001',
  issuedAt: '2026-11-21T00:00:00.000Z',
  fileRef: 'file',
  totalGross: '1130.00',
  totals: { net: '1000.00', tax: '130.00', gross: '1130.00' },
};
const REJECTED: Rejected = { kind: 'rejected', code: 'SIM.TAX_CODE_INVALID', message: 'no' };

describe('Submission', () => {
  it('is accepted QUEUED, never sent, from its command envelope', () => {
    const submission = accepted();
    expect(submission).toMatchObject({
      serial: 'FP0001',
      operation: 'issue',
      invoiceId: 'i1',
      tenantId: 't1',
      state: 'QUEUED',
      attempts: 0,
      leaseUntil: null,
      heldLease: null,
      command: envelope.payload,
      causation: envelope,
    });
    expect(submission.answered).toBe(false);
  });

  it('counts an attempt when leased, and is looked up by serial first from its second one', () => {
    const submission = accepted();
    const until = lease();
    submission.claim(until);
    expect(submission).toMatchObject({ state: 'SENDING', attempts: 1, leaseUntil: until, heldLease: until });
    expect(submission.sentBefore).toBe(false);
    submission.unresolved('HTTP 503', new Date());
    submission.claim(lease());
    expect(submission.attempts).toBe(2);
    expect(submission.sentBefore).toBe(true);
  });

  it('takes a definite answer only while leased, and keeps the lease it was claimed under to save it', () => {
    const submission = leased();
    const held = submission.heldLease;
    submission.issued(ISSUED.number, ISSUED);
    expect(submission).toMatchObject({
      state: 'ISSUED',
      number: ISSUED.number,
      outcome: ISSUED,
      lastError: null,
    });
    expect(submission.leaseUntil).toBeNull();
    expect(submission.heldLease).toBe(held);
    expect(submission.answered).toBe(true);
    expect(() => accepted().issued(ISSUED.number, ISSUED)).toThrow(
      expect.objectContaining({ code: 'SUBMISSION.ILLEGAL_TRANSITION' }),
    );
  });

  it('records a refusal with its code as the last error', () => {
    const submission = leased();
    submission.rejected(REJECTED);
    expect(submission).toMatchObject({
      state: 'REJECTED',
      number: null,
      outcome: REJECTED,
      lastError: 'SIM.TAX_CODE_INVALID: no',
    });
  });

  it('never leaves a final state', () => {
    for (const settle of [
      (s: Submission) => s.issued(ISSUED.number, ISSUED),
      (s: Submission) => s.rejected(REJECTED),
    ]) {
      const submission = leased();
      settle(submission);
      expect(() => submission.claim(lease())).toThrow(
        expect.objectContaining({ code: 'SUBMISSION.ILLEGAL_TRANSITION' }),
      );
      expect(() => submission.release()).toThrow(
        expect.objectContaining({ code: 'SUBMISSION.ILLEGAL_TRANSITION' }),
      );
    }
  });

  it('keeps an unknown outcome to be queried later, with the error cut to its column', () => {
    const submission = leased();
    const retryAt = new Date(Date.now() + 5_000);
    submission.unresolved('x'.repeat(600), retryAt);
    expect(submission).toMatchObject({ state: 'UNKNOWN', nextAttemptAt: retryAt, leaseUntil: null });
    expect(submission.lastError).toHaveLength(500);
    expect(() => submission.unresolved('again', retryAt)).toThrow(
      expect.objectContaining({ code: 'SUBMISSION.ILLEGAL_TRANSITION' }),
    );
  });

  it('gives a lease back without spending the attempt, to where it stood', () => {
    const fresh = leased();
    fresh.release();
    expect(fresh).toMatchObject({ state: 'QUEUED', attempts: 0, leaseUntil: null });

    const sent = leased();
    sent.unresolved('HTTP 503', new Date());
    sent.claim(lease());
    sent.release();
    expect(sent).toMatchObject({ state: 'UNKNOWN', attempts: 1 });

    const awaiting = leased();
    awaiting.awaitConfirmation('F1', new Date());
    awaiting.claim(lease());
    awaiting.release();
    expect(awaiting).toMatchObject({ state: 'AWAITING', attempts: 1, formId: 'F1' });

    expect(() => accepted().release()).toThrow(
      expect.objectContaining({ code: 'SUBMISSION.ILLEGAL_TRANSITION' }),
    );
  });

  it('announces a confirmation form once: only when its id is first learnt', () => {
    const submission = leased();
    const checkAt = new Date(Date.now() + 60_000);
    expect(submission.awaitConfirmation('F1', checkAt)).toBe(true);
    expect(submission).toMatchObject({
      state: 'AWAITING',
      formId: 'F1',
      nextAttemptAt: checkAt,
      lastError: null,
    });
    submission.claim(lease());
    expect(submission.awaitConfirmation('F1', checkAt)).toBe(false);
    submission.claim(lease());
    submission.issued('26440000000000000002', { kind: 'reversed', formId: 'F1', red: ISSUED }, 'F1');
    expect(submission).toMatchObject({ state: 'ISSUED', formId: 'F1', number: '26440000000000000002' });
  });

  it('may be leased again once its lease ran out (the process died mid-call)', () => {
    const submission = leased();
    const next = lease();
    submission.claim(next);
    expect(submission).toMatchObject({ state: 'SENDING', attempts: 2, heldLease: next });
  });
});
