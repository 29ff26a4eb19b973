import type { DataSource } from 'typeorm';
import type { OutboxWriter } from '@fapiao/platform/messaging';
import type { SubmissionEntity } from '../infrastructure/submission.entity';
import type { SubmissionRepository } from '../infrastructure/submission.repository';
import type { TaxBridgeConfig } from '../tax-bridge.config';
import type { AuthorityPolicy } from './authority-policy';
import type { OutcomePublisher } from './outcome-publisher';
import type { ReversalResolver } from './reversal-resolver';
import { SubmissionForwarder } from './submission-forwarder';

const unreachable = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED', fatal: true });

const submission = {
  id: 's1',
  serial: 'FP0001',
  operation: 'issue',
  invoiceId: 'i1',
  tenantId: 't1',
  attempts: 1,
  traceHeaders: '{}',
  command: JSON.stringify({ serial: 'FP0001', invoiceType: 'normal', lines: [], totals: {} }),
} as unknown as SubmissionEntity;

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
      release: jest.fn(async () => Promise.reject(unreachable())),
      settle: jest.fn(),
      stats: jest.fn(async () => ({ depth: 0, oldestQueuedAt: null })),
    };
    const policy = {
      admission: () => 8,
      // The authority is away too, so the send is unresolved and must be written back.
      resolve: jest.fn(async () => Promise.reject(new Error('HTTP 503'))),
    };
    const dataSource = { transaction: jest.fn(async () => Promise.reject(unreachable())) };
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
      {} as ReversalResolver,
      {} as OutcomePublisher,
      { notifyCommitted: jest.fn() } as unknown as OutboxWriter,
      dataSource as unknown as DataSource,
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

    expect(dataSource.transaction).toHaveBeenCalled();
    expect(unhandled).toEqual([]);
    expect(warnings.some((w) => w.includes('FP0001') && w.includes('ECONNREFUSED'))).toBe(true);
  });
});
