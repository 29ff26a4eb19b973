import type { Envelope } from '@fapiao/contracts';
import type { UnitOfWork } from '@fapiao/platform/persistence';
import { Submission } from '../domain/submission';
import type { SubmissionRepository } from '../domain/submission.repository';
import type { TaxBridgeConfig } from '../tax-bridge.config';
import type { AuthorityPolicy } from './authority-policy';
import type { OutcomePublisher } from './outcome-publisher';
import type { AuthorityOperations } from './operations/authority-operations';
import { SubmissionForwarder } from './submission-forwarder';

const unreachable = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED', fatal: true });

const submission = Submission.restore({
  serial: 'FP0001',
  operation: 'issue',
  invoiceId: 'i1',
  tenantId: 't1',
  state: 'SENDING',
  command: { serial: 'FP0001', invoiceType: 'normal', lines: [], totals: {} },
  attempts: 1,
  nextAttemptAt: new Date(),
  leaseUntil: new Date(Date.now() + 30_000),
  lastError: null,
  number: null,
  formId: null,
  outcome: null,
  causation: {} as Envelope,
  traceHeaders: {},
  createdAt: new Date(),
  updatedAt: new Date(),
});

describe('SubmissionForwarder', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('survives a database cut while it records an unresolved send: logs it and keeps claiming (found by the chaos run)', async () => {
    let claims = 0;
    const submissions = {
      // The first claim hands out a submission; later ones find nothing due.
      claimDue: jest.fn(async () => (claims++ === 0 ? [submission] : [])),
      saveLeased: jest.fn(async () => Promise.reject(unreachable())),
      stats: jest.fn(async () => ({ depth: 0, oldestQueuedAt: null })),
    };
    const policy = { admission: () => 8 };
    const issue = {
      // The authority is away too, so the send is unresolved and must be written back.
      resolve: jest.fn(async () => Promise.reject(new Error('HTTP 503'))),
    };
    const operations = { of: () => issue };
    const config = {
      concurrency: 8,
      batch: 8,
      leaseMs: 30_000,
      pollMs: 5,
      retryBaseMs: 5,
      retryCapMs: 50,
    } as unknown as TaxBridgeConfig;
    const forwarder = new SubmissionForwarder(
      submissions as unknown as SubmissionRepository,
      policy as unknown as AuthorityPolicy,
      operations as unknown as AuthorityOperations,
      {} as OutcomePublisher,
      {} as UnitOfWork,
      config,
    );
    const warnings: string[] = [];
    jest
      .spyOn(forwarder['logger'], 'warn')
      .mockImplementation((message: string) => void warnings.push(message));
    jest.spyOn(forwarder['logger'], 'error').mockImplementation(() => undefined);

    forwarder.onApplicationBootstrap();
    while (claims < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await forwarder.beforeApplicationShutdown();
    await new Promise((resolve) => setImmediate(resolve));

    expect(submissions.saveLeased).toHaveBeenCalled();
    expect(unhandled).toEqual([]);
    expect(warnings.some((w) => w.includes('FP0001') && w.includes('ECONNREFUSED'))).toBe(true);
  });
});
