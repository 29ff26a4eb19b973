import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InvoiceReversalRefused, ReverseInvoice } from '@fapiao/contracts';
import {
  SagaEngine,
  type Compensation,
  type SagaContext,
  type SagaDefinition,
  type SagaInstance,
} from '@fapiao/platform/saga';
import { PENDING_REVERSAL } from '../domain/invoice-status';
import { InvoiceRepository } from '../infrastructure/invoice.repository';
import { ReversalRepository } from '../infrastructure/reversal.repository';
import { INVOICE_CONFIG, type InvoiceConfig } from '../invoice.config';
import { resendDelayMs } from './resend-delay';
import { reverseInvoiceCommand } from './reverse-invoice-command';
import { ReversalStarter } from './reversal-starter';
import { REVERSAL_SAGA, type ReversalData } from './reversal-saga.types';

/**
 * The red-letter saga (DESIGN.md §4). Like issuance, an unanswered reversal is never given up: the command
 * is re-sent with the same serials (tax-bridge and the authority deduplicate on them). A refusal fails the
 * saga; its compensation releases the reversal — REFUSED, announced so that a cancelling order returns to
 * invoiced — and lets a cancellation that waited for it go ahead.
 */
@Injectable()
export class ReversalSaga implements SagaDefinition<ReversalData>, OnModuleInit {
  readonly type = REVERSAL_SAGA;
  readonly maxStepAttempts = Number.POSITIVE_INFINITY;

  constructor(
    private readonly engine: SagaEngine,
    private readonly invoices: InvoiceRepository,
    private readonly reversals: ReversalRepository,
    private readonly starter: ReversalStarter,
    @Inject(INVOICE_CONFIG) private readonly config: InvoiceConfig,
  ) {}

  onModuleInit(): void {
    this.engine.register(this);
  }

  async onStepTimeout(saga: SagaInstance<ReversalData>, ctx: SagaContext): Promise<{ retryInMs: number }> {
    const invoice = await this.invoices.findById(saga.tenantId, saga.data.invoiceId, ctx.manager);
    const reversal = await this.reversals.findById(saga.tenantId, saga.data.reversalId, ctx.manager);
    if (invoice && reversal) {
      await ctx.outbox.append(ctx.manager, ReverseInvoice, {
        tenantId: saga.tenantId,
        key: invoice.id,
        payload: reverseInvoiceCommand(invoice, reversal),
      });
    }
    return { retryInMs: resendDelayMs(this.config, saga.attempts) };
  }

  async compensate(
    compensation: Compensation,
    saga: SagaInstance<ReversalData>,
    ctx: SagaContext,
  ): Promise<void> {
    if (compensation.name !== 'release-reversal')
      throw new Error(`unknown compensation ${compensation.name}`);
    const { manager } = ctx;
    const invoice = await this.invoices.lock(manager, saga.tenantId, saga.data.invoiceId);
    const reversal = await this.reversals.findById(saga.tenantId, saga.data.reversalId, manager);
    if (!invoice || !reversal || !PENDING_REVERSAL.includes(reversal.status)) return;
    const refusal = saga.data.refusal ?? { code: 'REVERSAL.FAILED', message: saga.lastError ?? 'failed' };
    await this.reversals.update(manager, reversal, { status: 'REFUSED', error: JSON.stringify(refusal) });
    await ctx.outbox.append(manager, InvoiceReversalRefused, {
      tenantId: saga.tenantId,
      key: invoice.id,
      payload: {
        invoiceId: invoice.id,
        orderId: invoice.orderId,
        reversalId: reversal.id,
        cause: reversal.cause,
        ...refusal,
        partiallyReversed: invoice.status === 'PARTIALLY_REVERSED',
      },
    });
    await this.starter.reverseIfCancelled(manager, invoice);
  }
}
