import type { Envelope, IssueInvoice, MessageContract, PayloadOf, ReverseInvoice } from '@fapiao/contracts';
import type { OutboxWriter, OutgoingMessage } from '@fapiao/platform/messaging';
import type { Issued, ReversalOutcome } from '../../domain/authority-outcome';
import { Submission } from '../../domain/submission';
import { SUBMISSION_OPERATIONS, type SubmissionOperation } from '../../domain/submission-state';
import type { TaxAuthorityAdapter } from '../../infrastructure/authority/tax-authority.adapter';
import type { AuthorityPolicy } from '../authority-policy';
import { OutcomePublisher } from '../outcome-publisher';
import { AuthorityOperations } from './authority-operations';
import { IssueInvoiceOperation } from './issue-invoice.operation';
import { ReverseInvoiceOperation } from './reverse-invoice.operation';

const issueCommand = { invoiceId: 'i1', serial: 'FP0001' } as PayloadOf<typeof IssueInvoice>;
const reverseCommand = {
  invoiceId: 'i1',
  reversalId: 'r1',
  formSerial: 'RF1',
  redSerial: 'RI1',
} as PayloadOf<typeof ReverseInvoice>;
const COMMANDS = { issue: issueCommand, reverse: reverseCommand };

const ISSUED: Issued = {
  kind: 'issued',
  number: '26440000000000000001',
  issuedAt: '2026-11-21T00:00:00.000Z',
  fileRef: 'file',
  totalGross: '1130.00',
  totals: { net: '1000.00', tax: '130.00', gross: '1130.00' },
};
const AWAITING: ReversalOutcome = {
  kind: 'awaiting',
  formId: 'F1',
  raisedAt: new Date().toISOString(),
  expiresAt: null,
};

const setup = () => {
  const appended: { type: string; payload: unknown; causedBy?: Envelope }[] = [];
  const outbox = {
    append: async <M extends MessageContract>(contract: M, message: OutgoingMessage<M>) =>
      void appended.push({ type: contract.type, payload: message.payload, causedBy: message.causedBy }),
  } as unknown as OutboxWriter;
  const policy = {} as AuthorityPolicy;
  const authority = {} as TaxAuthorityAdapter;
  const operations = new AuthorityOperations(
    new IssueInvoiceOperation(policy, authority, outbox),
    new ReverseInvoiceOperation(policy, authority, outbox, { formPoll: { minMs: 60_000, maxMs: 3_600_000 } }),
  );
  return { operations, publisher: new OutcomePublisher(operations), appended };
};

/** A submission of `kind` as the intake stores it, then leased by a forwarder. */
const leased = (kind: SubmissionOperation, operations: AuthorityOperations) => {
  const envelope = { id: 'cmd', tenantId: 't1', payload: COMMANDS[kind] } as unknown as Envelope<{
    invoiceId: string;
  }>;
  const serial = operations.of(kind).serialOf(COMMANDS[kind] as never);
  const submission = Submission.accept({ serial, operation: kind, envelope, traceHeaders: {} });
  submission.claim(new Date(Date.now() + 30_000));
  return submission;
};

describe('AuthorityOperations', () => {
  it('has exactly one operation for every kind of submission', () => {
    const { operations } = setup();
    for (const kind of SUBMISSION_OPERATIONS) expect(operations.of(kind).kind).toBe(kind);
    expect(operations.of('issue')).toBeInstanceOf(IssueInvoiceOperation);
    expect(operations.of('reverse')).toBeInstanceOf(ReverseInvoiceOperation);
  });

  it("stores each command under its operation's serial: the invoice's, or the red-letter invoice's", () => {
    const { operations } = setup();
    expect(operations.of('issue').serialOf(issueCommand)).toBe('FP0001');
    expect(operations.of('reverse').serialOf(reverseCommand)).toBe('RI1');
  });

  it('settles an issue and announces it as the invoice issued, or rejected, by the authority', async () => {
    const { operations, publisher, appended } = setup();
    const issued = leased('issue', operations);
    await publisher.publish(issued, operations.of('issue').settle(issued, ISSUED) ?? ISSUED);
    const rejected = leased('issue', operations);
    const refusal = { kind: 'rejected' as const, code: 'SIM.X', message: 'no' };
    await publisher.publish(rejected, operations.of('issue').settle(rejected, refusal) ?? refusal);
    expect([issued.state, rejected.state]).toEqual(['ISSUED', 'REJECTED']);
    expect(appended.map((m) => m.type)).toEqual(['InvoiceIssuedByAuthority', 'InvoiceRejectedByAuthority']);
    expect(appended[0].payload).toMatchObject({ invoiceId: 'i1', serial: 'FP0001', number: ISSUED.number });
  });

  it('announces a raised form once, then the reversal, and re-announces the stored outcome to a repeated command', async () => {
    const { operations, publisher, appended } = setup();
    const reverse = operations.of('reverse');
    const submission = leased('reverse', operations);
    expect(reverse.settle(submission, AWAITING)).toEqual(AWAITING);
    expect(submission).toMatchObject({ state: 'AWAITING', formId: 'F1' });
    submission.claim(new Date(Date.now() + 30_000));
    expect(reverse.settle(submission, AWAITING)).toBeNull();
    submission.claim(new Date(Date.now() + 30_000));
    const reversed: ReversalOutcome = { kind: 'reversed', formId: 'F1', red: ISSUED };
    expect(reverse.settle(submission, reversed)).toEqual(reversed);
    await publisher.publish(submission, reversed);
    expect(submission).toMatchObject({ state: 'ISSUED', number: ISSUED.number, outcome: reversed });

    const repeated = { id: 'again' } as Envelope;
    await publisher.republish(submission, repeated);
    expect(appended.map((m) => m.type)).toEqual(['InvoiceReversedByAuthority', 'InvoiceReversedByAuthority']);
    expect(appended[0].payload).toMatchObject({ reversalId: 'r1', redSerial: 'RI1', formId: 'F1' });
    expect(appended.map((m) => m.causedBy?.id)).toEqual(['cmd', 'again']);
  });

  it('announces a refused reversal as such', async () => {
    const { operations, publisher, appended } = setup();
    const submission = leased('reverse', operations);
    const refusal = { kind: 'rejected' as const, code: 'REVERSAL.FORM_DECLINED', message: 'declined' };
    await publisher.publish(submission, operations.of('reverse').settle(submission, refusal) ?? refusal);
    expect(submission.state).toBe('REJECTED');
    expect(appended).toMatchObject([
      { type: 'ReversalRefusedByAuthority', payload: { code: 'REVERSAL.FORM_DECLINED' } },
    ]);
  });
});
