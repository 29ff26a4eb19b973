import type { Envelope } from '@fapiao/contracts';
import type { UnitOfWork } from '@fapiao/platform/persistence';
import { Submission } from '../domain/submission';
import type { SubmissionRepository } from '../domain/submission.repository';
import type { OutcomePublisher } from './outcome-publisher';
import type { AuthorityOperations } from './operations/authority-operations';
import type { SubmissionForwarder } from './submission-forwarder';
import { SubmissionIntake } from './submission-intake';

const command = (tenantId: string) =>
  ({
    id: `m-${tenantId}`,
    type: 'IssueInvoice',
    version: 1,
    occurredAt: new Date().toISOString(),
    tenantId,
    key: 'invoice-1',
    causationId: null,
    correlationId: 'c',
    payload: { invoiceId: 'invoice-1', serial: 'FP0001' },
  }) as Envelope<{ invoiceId: string; serial: string }>;

function setUp() {
  const existing = Submission.accept({
    serial: 'FP0001',
    operation: 'issue',
    envelope: command('tenant-a'),
    traceHeaders: {},
  });
  const submissions = { find: jest.fn(async () => existing), add: jest.fn(async () => undefined) };
  const outcomes = { republish: jest.fn(async () => undefined) };
  const intake = new SubmissionIntake(
    submissions as unknown as SubmissionRepository,
    { of: () => ({ serialOf: (c: { serial: string }) => c.serial }) } as unknown as AuthorityOperations,
    outcomes as unknown as OutcomePublisher,
    { wakeSoon: jest.fn() } as unknown as SubmissionForwarder,
    { run: (work: () => Promise<unknown>) => work(), afterCommit: jest.fn() } as unknown as UnitOfWork,
  );
  return { intake, submissions, outcomes };
}

describe('SubmissionIntake: a serial belongs to the tenant that submitted it', () => {
  it("refuses another tenant's command under a known serial (SUBMISSION.TENANT_MISMATCH, poison)", async () => {
    const { intake, submissions, outcomes } = setUp();
    await expect(intake.accept('issue', command('tenant-b') as never)).rejects.toMatchObject({
      code: 'SUBMISSION.TENANT_MISMATCH',
      kind: 'forbidden',
    });
    expect(submissions.add).not.toHaveBeenCalled();
    expect(outcomes.republish).not.toHaveBeenCalled();
  });

  it("takes the owner's repeated command as a repeat", async () => {
    const { intake, submissions } = setUp();
    await intake.accept('issue', command('tenant-a') as never);
    expect(submissions.add).not.toHaveBeenCalled();
  });
});
