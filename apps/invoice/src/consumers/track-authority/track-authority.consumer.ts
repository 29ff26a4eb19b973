import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceIssued,
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { MessageContext, onMessage, OutboxWriter } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SagaEngine } from '@fapiao/platform/saga';
import { ISSUED_ONCE } from '../../domain/invoice-status';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';
import type { IssuanceData } from '../../saga/issuance.saga';
import { ReversalStarter } from '../../saga/reversal-starter';

/** Saga steps 3–4: the authority's outcome, reported by tax-bridge. Redeliveries change nothing. */
@Controller()
export class TrackAuthorityConsumer {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly sagas: SagaEngine,
    private readonly outbox: OutboxWriter,
    private readonly starter: ReversalStarter,
  ) {}

  @EventPattern(onMessage(InvoiceIssuedByAuthority))
  async issued(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssuedByAuthority>>,
    @Ctx() { manager }: MessageContext,
  ): Promise<void> {
    const { invoiceId, number, issuedAt, fileRef } = envelope.payload;
    annotateActiveSpan({ invoiceId, sagaStep: 'AUTHORITY_ISSUED' });
    // Saga row first, like the saga sweeper: the same lock order everywhere rules out deadlocks.
    const saga = await this.sagas.load<IssuanceData>(manager, invoiceId, { forUpdate: true });
    const invoice = await this.invoices.findById(envelope.tenantId, invoiceId, manager);
    if (!invoice || ISSUED_ONCE.includes(invoice.status)) return;
    await this.invoices.transition(
      manager,
      invoice,
      'ISSUED',
      { number, issuedAt: new Date(issuedAt), fileRef },
      `issued by the authority as ${number}`,
    );
    await this.outbox.append(manager, InvoiceIssued, {
      tenantId: envelope.tenantId,
      key: invoice.id,
      causedBy: envelope,
      payload: {
        invoiceId: invoice.id,
        orderId: invoice.orderId,
        number,
        issuedAt,
        totals: {
          net: invoice.totalNet ?? '0.00',
          tax: invoice.totalTax ?? '0.00',
          gross: invoice.totalGross ?? '0.00',
        },
      },
    });
    if (saga?.state === 'RUNNING') await this.sagas.complete(manager, saga, { note: `ISSUED ${number}` });
    // The order may have been cancelled while the invoice was on its way.
    await this.starter.reverseIfCancelled(manager, invoice, envelope);
  }

  @EventPattern(onMessage(InvoiceRejectedByAuthority))
  async rejected(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceRejectedByAuthority>>,
    @Ctx() { manager }: MessageContext,
  ): Promise<void> {
    const { invoiceId, code, message } = envelope.payload;
    annotateActiveSpan({ invoiceId, sagaStep: 'AUTHORITY_REJECTED' });
    const saga = await this.sagas.load<IssuanceData>(manager, invoiceId, { forUpdate: true });
    if (saga?.state !== 'RUNNING') return;
    await this.sagas.fail(manager, saga, `${code}: ${message}`, {
      data: { ...saga.data, rejection: { code, message } },
    });
  }
}
