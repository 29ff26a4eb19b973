import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import Decimal from 'decimal.js';
import {
  InvoiceReversed,
  InvoiceReversedByAuthority,
  RedLetterFormRaised,
  ReversalRefusedByAuthority,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { MessageContext, onMessage, OutboxWriter } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SagaEngine } from '@fapiao/platform/saga';
import { PENDING_REVERSAL } from '../../domain/invoice-status';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';
import { ReversalRepository } from '../../infrastructure/reversal.repository';
import { REVERSAL_STEPS, type ReversalData } from '../../saga/reversal-saga.types';
import { ReversalStarter } from '../../saga/reversal-starter';

/**
 * The red-letter saga's progress, reported by tax-bridge. Lock order as everywhere: saga row, then the
 * invoice, then the reversal. Redeliveries and stale events change nothing.
 */
@Controller()
export class TrackReversalConsumer {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly reversals: ReversalRepository,
    private readonly sagas: SagaEngine,
    private readonly starter: ReversalStarter,
    private readonly outbox: OutboxWriter,
  ) {}

  @EventPattern(onMessage(RedLetterFormRaised))
  async formRaised(
    @Payload() envelope: Envelope<PayloadOf<typeof RedLetterFormRaised>>,
    @Ctx() { manager }: MessageContext,
  ): Promise<void> {
    const { invoiceId, reversalId, formId, expiresAt } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId, sagaStep: REVERSAL_STEPS.awaitingConfirmation });
    const saga = await this.sagas.load<ReversalData>(manager, reversalId, { forUpdate: true });
    const reversal = await this.reversals.findById(envelope.tenantId, reversalId, manager);
    if (reversal?.status !== 'REQUESTED') return;
    await this.reversals.update(manager, reversal, {
      status: 'AWAITING_CONFIRMATION',
      formId,
      formExpiresAt: expiresAt ? new Date(expiresAt) : null,
    });
    if (saga?.state === 'RUNNING') {
      await this.sagas.advance(manager, saga, {
        step: REVERSAL_STEPS.awaitingConfirmation,
        note: `confirmation form ${formId} awaits the buyer until ${expiresAt ?? '-'}`,
      });
    }
  }

  @EventPattern(onMessage(InvoiceReversedByAuthority))
  async reversed(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversedByAuthority>>,
    @Ctx() { manager }: MessageContext,
  ): Promise<void> {
    const { invoiceId, reversalId, formId, number, issuedAt, fileRef, totals } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId, sagaStep: 'AUTHORITY_REVERSED' });
    const saga = await this.sagas.load<ReversalData>(manager, reversalId, { forUpdate: true });
    const invoice = await this.invoices.lock(manager, envelope.tenantId, invoiceId);
    const reversal = await this.reversals.findById(envelope.tenantId, reversalId, manager);
    if (!invoice || !reversal || !PENDING_REVERSAL.includes(reversal.status)) return;
    await this.reversals.update(manager, reversal, {
      status: 'REVERSED',
      formId,
      redNumber: number,
      redNet: totals.net,
      redTax: totals.tax,
      redGross: totals.gross,
      redIssuedAt: new Date(issuedAt),
      redFileRef: fileRef,
    });
    const reds = (await this.reversals.listForInvoice(invoice.id, manager)).filter(
      (each) => each.status === 'REVERSED',
    );
    const remaining = reds.reduce(
      (left, each) => left.plus(each.redGross ?? 0),
      new Decimal(invoice.totalGross ?? 0),
    );
    const fullyReversed = remaining.lte(0);
    await this.invoices.transition(
      manager,
      invoice,
      fullyReversed ? 'REVERSED' : 'PARTIALLY_REVERSED',
      {},
      `red-letter invoice ${number} (${totals.gross}) against form ${formId}`,
    );
    await this.outbox.append(manager, InvoiceReversed, {
      tenantId: envelope.tenantId,
      key: invoice.id,
      causedBy: envelope,
      payload: {
        invoiceId,
        orderId: invoice.orderId,
        reversalId,
        cause: reversal.cause,
        kind: reversal.kind,
        reasonCode: reversal.reasonCode,
        redNumber: number,
        issuedAt,
        totals,
        remainingGross: remaining.toFixed(2),
        fullyReversed,
      },
    });
    if (saga?.state === 'RUNNING') await this.sagas.complete(manager, saga, { note: `REVERSED ${number}` });
    await this.starter.reverseIfCancelled(manager, invoice, envelope);
  }

  @EventPattern(onMessage(ReversalRefusedByAuthority))
  async refused(
    @Payload() envelope: Envelope<PayloadOf<typeof ReversalRefusedByAuthority>>,
    @Ctx() { manager }: MessageContext,
  ): Promise<void> {
    const { invoiceId, reversalId, code, message } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId, sagaStep: 'AUTHORITY_REFUSED' });
    const saga = await this.sagas.load<ReversalData>(manager, reversalId, { forUpdate: true });
    if (saga?.state !== 'RUNNING') return;
    await this.sagas.fail(manager, saga, `${code}: ${message}`, {
      data: { ...saga.data, refusal: { code, message } },
    });
  }
}
