import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { v7 as uuidv7 } from 'uuid';
import {
  InvoiceDrafted,
  InvoiceRejected,
  IssueInvoice,
  OrderPlaced,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { validateInvoiceDraft } from '@fapiao/invoice-domain';
import { MessageContext, onMessage, OutboxWriter } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SagaEngine } from '@fapiao/platform/saga';
import { submissionSerial } from '../../domain/invoice-status';
import { InvoiceLineEntity } from '../../infrastructure/invoice-line.entity';
import { InvoiceEntity } from '../../infrastructure/invoice.entity';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';
import { INVOICE_CONFIG, type InvoiceConfig } from '../../invoice.config';
import { ISSUANCE_SAGA, ISSUANCE_STEPS, type IssuanceData } from '../../saga/issuance.saga';
import { issueInvoiceCommand } from '../../saga/issue-invoice-command';

type OrderPlacedEnvelope = Envelope<PayloadOf<typeof OrderPlaced>>;

/**
 * Saga step 1 (DESIGN.md §4): draft the invoice, validate it with the domain library and either reject it
 * with every failing field, or submit it — invoice row, saga row and outbox commands in one transaction.
 */
@Controller()
export class StartIssuanceConsumer {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly sagas: SagaEngine,
    private readonly outbox: OutboxWriter,
    @Inject(INVOICE_CONFIG) private readonly config: InvoiceConfig,
  ) {}

  @EventPattern(onMessage(OrderPlaced))
  async handle(@Payload() envelope: OrderPlacedEnvelope, @Ctx() context: MessageContext): Promise<void> {
    const { manager } = context;
    const order = envelope.payload;
    // One invoice per order, even if OrderPlaced is published twice with different message ids.
    if (await this.invoices.findByOrder(envelope.tenantId, order.orderId, manager)) return;

    const invoice = new InvoiceEntity();
    invoice.id = uuidv7();
    invoice.tenantId = envelope.tenantId;
    invoice.orderId = order.orderId;
    invoice.invoiceType = order.invoiceType;
    invoice.sellerTaxId = order.seller.taxId;
    invoice.buyerName = order.buyer.name;
    invoice.buyerTaxId = order.buyer.taxId ?? null;
    invoice.serial = submissionSerial(invoice.id);
    invoice.number = null;
    invoice.issuedAt = null;
    invoice.fileRef = null;
    invoice.createdAt = new Date();
    invoice.updatedAt = invoice.createdAt;
    invoice.version = 1;
    annotateActiveSpan({ tenantId: envelope.tenantId, orderId: order.orderId, invoiceId: invoice.id });

    const validated = validateInvoiceDraft(
      {
        invoiceType: order.invoiceType,
        seller: { name: '-', taxId: order.seller.taxId },
        buyer: order.buyer,
        lines: order.lines,
      },
      { unit: this.config.uppercaseUnit },
    );
    const sagaData: IssuanceData = { invoiceId: invoice.id, orderId: order.orderId, serial: invoice.serial };
    const { saga } = await this.sagas.start(manager, {
      type: ISSUANCE_SAGA,
      id: invoice.id,
      tenantId: envelope.tenantId,
      correlationId: envelope.correlationId,
      step: 'DRAFTED',
      data: sagaData,
    });

    if (!validated.ok) {
      const errors = validated.error.errors ?? [validated.error];
      invoice.status = 'REJECTED';
      invoice.errors = JSON.stringify(errors);
      invoice.totalNet = invoice.totalTax = invoice.totalGross = invoice.uppercaseGross = null;
      await this.invoices.insert(
        manager,
        invoice,
        [],
        `rejected by validation: ${errors.map((e) => e.code).join(', ')}`,
      );
      await this.outbox.append(manager, InvoiceRejected, {
        tenantId: envelope.tenantId,
        key: invoice.id,
        causedBy: envelope,
        payload: {
          invoiceId: invoice.id,
          orderId: order.orderId,
          stage: 'validation',
          errors: errors.map(({ code, message, field }) => ({ code, message, ...(field ? { field } : {}) })),
        },
      });
      await this.sagas.complete(manager, saga, { note: 'REJECTED: the draft failed validation' });
      return;
    }

    const { lines, totals, uppercaseGross } = validated.value;
    invoice.status = 'SUBMITTED';
    invoice.errors = null;
    invoice.totalNet = totals.net;
    invoice.totalTax = totals.tax;
    invoice.totalGross = totals.gross;
    invoice.uppercaseGross = uppercaseGross;
    invoice.lines = lines.map((line, index) => {
      const entity = new InvoiceLineEntity();
      entity.invoiceId = invoice.id;
      entity.lineNo = line.lineNo;
      entity.name = line.name;
      entity.taxCode = line.taxCode;
      entity.quantity = line.quantity ?? order.lines[index].quantity;
      entity.unitPrice = line.unitPrice ?? order.lines[index].unitPrice;
      entity.taxRate = line.taxRate;
      entity.priceIncludesTax = line.priceIncludesTax;
      entity.net = line.net;
      entity.tax = line.tax;
      entity.gross = line.gross;
      return entity;
    });
    await this.invoices.insert(
      manager,
      invoice,
      invoice.lines,
      `drafted and submitted with serial ${invoice.serial}`,
    );
    await this.outbox.append(manager, InvoiceDrafted, {
      tenantId: envelope.tenantId,
      key: invoice.id,
      causedBy: envelope,
      payload: { invoiceId: invoice.id, orderId: order.orderId, totals },
    });
    await this.outbox.append(manager, IssueInvoice, {
      tenantId: envelope.tenantId,
      key: invoice.id,
      causedBy: envelope,
      payload: issueInvoiceCommand(invoice),
    });
    await this.sagas.advance(manager, saga, {
      step: ISSUANCE_STEPS.awaitingAuthority,
      deadlineMs: this.config.submissionTimeoutMs,
      pushCompensation: { name: 'void-draft', payload: { invoiceId: invoice.id } },
      note: `IssueInvoice sent with serial ${invoice.serial}`,
    });
  }
}
