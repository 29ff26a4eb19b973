import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InvoiceRejected, IssueInvoice } from '@fapiao/contracts';
import {
  SagaEngine,
  type Compensation,
  type SagaContext,
  type SagaDefinition,
  type SagaInstance,
} from '@fapiao/platform/saga';
import { ISSUED_ONCE } from '../domain/invoice-status';
import { InvoiceRepository } from '../infrastructure/invoice.repository';
import { INVOICE_CONFIG, type InvoiceConfig } from '../invoice.config';
import { resendDelayMs } from './resend-delay';
import { issueInvoiceCommand } from './issue-invoice-command';

export const ISSUANCE_SAGA = 'invoice-issuance';

/** Steps: the draft exists (compensation: void it), then the authority's answer is awaited. */
export const ISSUANCE_STEPS = { awaitingAuthority: 'AWAITING_AUTHORITY' } as const;

export interface IssuanceData {
  invoiceId: string;
  orderId: string;
  serial: string;
  /** Why the authority refused, when it did: reported by the compensation. */
  rejection?: { code: string; message: string };
}

/**
 * The issuance saga (DESIGN.md §4). An unanswered submission is never given up: tax-bridge stores and
 * forwards, and the command is re-sent with the same serial (the authority deduplicates on it), backing off
 * to INVOICE_SUBMISSION_RETRY_CAP_MS. A definite rejection fails the saga, whose compensation voids the draft
 * and tells the order why.
 */
@Injectable()
export class IssuanceSaga implements SagaDefinition<IssuanceData>, OnModuleInit {
  readonly type = ISSUANCE_SAGA;
  /** Submission is never abandoned: an unanswered authority is waited out, not compensated. */
  readonly maxStepAttempts = Number.POSITIVE_INFINITY;

  constructor(
    private readonly engine: SagaEngine,
    private readonly invoices: InvoiceRepository,
    @Inject(INVOICE_CONFIG) private readonly config: InvoiceConfig,
  ) {}

  onModuleInit(): void {
    this.engine.register(this);
  }

  async onStepTimeout(saga: SagaInstance<IssuanceData>, ctx: SagaContext): Promise<{ retryInMs: number }> {
    const invoice = await this.invoices.findById(saga.tenantId, saga.data.invoiceId, ctx.manager);
    if (invoice) {
      await ctx.outbox.append(ctx.manager, IssueInvoice, {
        tenantId: saga.tenantId,
        key: invoice.id,
        payload: issueInvoiceCommand(invoice),
      });
    }
    return { retryInMs: resendDelayMs(this.config, saga.attempts) };
  }

  async compensate(
    compensation: Compensation,
    saga: SagaInstance<IssuanceData>,
    ctx: SagaContext,
  ): Promise<void> {
    if (compensation.name !== 'void-draft') throw new Error(`unknown compensation ${compensation.name}`);
    const invoice = await this.invoices.findById(saga.tenantId, saga.data.invoiceId, ctx.manager);
    if (!invoice || invoice.status === 'REJECTED' || invoice.status === 'CANCELLED') return;
    if (ISSUED_ONCE.includes(invoice.status))
      throw new Error(`invoice ${invoice.id} is issued: it needs a red-letter reversal`);
    const rejection = saga.data.rejection ?? {
      code: 'INVOICE.ISSUANCE_FAILED',
      message: saga.lastError ?? 'failed',
    };
    await this.invoices.transition(
      ctx.manager,
      invoice,
      'REJECTED',
      { errors: JSON.stringify([rejection]) },
      rejection.message,
    );
    await ctx.outbox.append(ctx.manager, InvoiceRejected, {
      tenantId: saga.tenantId,
      key: invoice.id,
      payload: { invoiceId: invoice.id, orderId: invoice.orderId, stage: 'authority', errors: [rejection] },
    });
  }
}
