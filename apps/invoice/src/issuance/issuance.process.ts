import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  InvoiceDrafted,
  InvoiceIssued,
  InvoiceIssuedByAuthority,
  InvoiceRejected,
  InvoiceRejectedByAuthority,
  IssueInvoice,
  OrderPlaced,
  type MessageOf,
} from '@fapiao/contracts';
import { validateInvoiceDraft } from '@fapiao/invoice-domain';
import { OutboxWriter, TenantDirectory } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { Clock } from '@fapiao/platform/resilience';
import { SagaEngine, type DeclaredSaga, type SagaInstance } from '@fapiao/platform/saga';
import { Invoice, type FieldError } from '../domain/invoice';
import { InvoiceErrors } from '../domain/invoice.errors';
import { InvoiceRepository } from '../domain/invoice.repository';
import { assertOwnedBy } from '../domain/ownership';
import { INVOICE_CONFIG, type InvoiceConfig } from '../invoice.config';
import { resendDelayMs } from '../resend-delay';
import { ReversalProcess } from '../reversal/reversal.process';
import { issueInvoiceCommand } from './issue-invoice.command';

export const ISSUANCE_SAGA = 'invoice-issuance';

export const IssuanceStep = {
  /** IssueInvoice is out; tax-bridge stores and forwards it until the authority answers. */
  AwaitingAuthority: 'AWAITING_AUTHORITY',
} as const;
export type IssuanceStep = (typeof IssuanceStep)[keyof typeof IssuanceStep];

export interface IssuanceData {
  invoiceId: string;
  orderId: string;
  serial: string;
  /** Why the authority refused, when it did: reported by the compensation. */
  rejection?: { code: string; message: string };
}

/**
 * The issuance of an order's invoice (architecture.md §4), every reaction of the flow in the order it happens:
 *
 *   OrderPlaced ─ seller not the tenant's ─► dead-lettered (TENANT.SELLER_MISMATCH), nothing written
 *   OrderPlaced ─ draft, validate ─ invalid ─► REJECTED + InvoiceRejected (stage validation); no saga
 *                                  └ valid ──► SUBMITTED + InvoiceDrafted + IssueInvoice; saga AWAITING_AUTHORITY
 *   AWAITING_AUTHORITY's deadline  ─► IssueInvoice again with the same serial (the authority deduplicates),
 *                                     backing off to INVOICE_SUBMISSION_RETRY_CAP_MS, never given up
 *   InvoiceIssuedByAuthority       ─► ISSUED + InvoiceIssued; saga COMPLETED; a cancelled order is reversed
 *   either outcome for another tenant's invoice ─► dead-lettered (INVOICE.TENANT_MISMATCH), nothing changed
 *   InvoiceRejectedByAuthority     ─► saga fails; its compensation (void-draft): REJECTED + InvoiceRejected
 *
 * Each reaction runs in the consumer's unit of work: the invoice, the saga row and the messages commit
 * together or not at all, and a redelivered message finds the work done and changes nothing.
 */
@Injectable()
export class IssuanceProcess {
  private readonly saga: DeclaredSaga<IssuanceData, IssuanceStep>;

  constructor(
    engine: SagaEngine,
    private readonly invoices: InvoiceRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly reversal: ReversalProcess,
    private readonly tenants: TenantDirectory,
    @Inject(INVOICE_CONFIG) private readonly config: InvoiceConfig,
  ) {
    this.saga = engine.declare<IssuanceData, IssuanceStep>({
      type: ISSUANCE_SAGA,
      // An unanswered submission is waited out, never compensated: the authority may have issued it.
      maxStepAttempts: Number.POSITIVE_INFINITY,
      steps: {
        [IssuanceStep.AwaitingAuthority]: {
          deadlineMs: config.submissionTimeoutMs,
          onTimeout: (saga) => this.resubmit(saga),
          compensation: { name: 'void-draft', run: (saga) => this.voidDraft(saga) },
        },
      },
    });
  }

  /** A batch of placed orders: whether each already has its invoice, in one read. */
  async ordersPlacedAhead(envelopes: MessageOf<typeof OrderPlaced>[]): Promise<void> {
    await this.invoices.loadAhead({
      orders: envelopes.map(({ tenantId, payload }) => ({ tenantId, orderId: payload.orderId })),
    });
  }

  /** An order was placed: draft its invoice, validate it with the domain rules, reject it or submit it. */
  async orderPlaced(envelope: MessageOf<typeof OrderPlaced>): Promise<void> {
    const order = envelope.payload;
    // Only the tenant's own seller is invoiced: another's (or an unknown tenant) is dead-lettered.
    await this.tenants.assertSeller(envelope.tenantId, order.seller.taxId);
    // One invoice per order, even if OrderPlaced is published twice with different message ids.
    if (await this.invoices.findByOrder(envelope.tenantId, order.orderId)) return;
    const draft = {
      id: uuidv7(),
      tenantId: envelope.tenantId,
      orderId: order.orderId,
      invoiceType: order.invoiceType,
      sellerTaxId: order.seller.taxId,
      buyer: { name: order.buyer.name, taxId: order.buyer.taxId ?? null },
      now: this.clock.now(),
    };
    annotateActiveSpan({ tenantId: envelope.tenantId, orderId: order.orderId, invoiceId: draft.id });
    const validated = validateInvoiceDraft(
      {
        invoiceType: order.invoiceType,
        seller: { name: '-', taxId: order.seller.taxId },
        buyer: order.buyer,
        lines: order.lines,
      },
      { unit: this.config.uppercaseUnit },
    );

    if (!validated.ok) {
      const errors: FieldError[] = (validated.error.errors ?? [validated.error]).map(
        ({ code, message, field }) => ({ code, message, ...(field ? { field } : {}) }),
      );
      const invoice = Invoice.rejectDraft({ ...draft, errors });
      await this.invoices.add(invoice);
      await this.outbox.append(InvoiceRejected, {
        tenantId: envelope.tenantId,
        key: invoice.id,
        causedBy: envelope,
        payload: { invoiceId: invoice.id, orderId: order.orderId, stage: 'validation', errors },
      });
      return;
    }

    const { lines, totals, uppercaseGross } = validated.value;
    const invoice = Invoice.submit({
      ...draft,
      totals,
      uppercaseGross,
      lines: lines.map((line, index) => ({
        lineNo: line.lineNo,
        name: line.name,
        taxCode: line.taxCode,
        quantity: line.quantity ?? order.lines[index].quantity,
        unitPrice: line.unitPrice ?? order.lines[index].unitPrice,
        taxRate: line.taxRate,
        priceIncludesTax: line.priceIncludesTax,
        net: line.net,
        tax: line.tax,
        gross: line.gross,
      })),
    });
    await this.invoices.add(invoice);
    await this.outbox.append(InvoiceDrafted, {
      tenantId: envelope.tenantId,
      key: invoice.id,
      causedBy: envelope,
      payload: { invoiceId: invoice.id, orderId: order.orderId, totals },
    });
    await this.outbox.append(IssueInvoice, {
      tenantId: envelope.tenantId,
      key: invoice.id,
      causedBy: envelope,
      payload: issueInvoiceCommand(invoice),
    });
    await this.saga.start({
      id: invoice.id,
      tenantId: envelope.tenantId,
      correlationId: envelope.correlationId,
      step: IssuanceStep.AwaitingAuthority,
      data: { invoiceId: invoice.id, orderId: order.orderId, serial: invoice.snapshot().serial },
      fresh: true, // the new invoice's id
    });
  }

  /** AWAITING_AUTHORITY's deadline passed: the same command again, later and later. */
  private async resubmit(saga: SagaInstance<IssuanceData>): Promise<{ retryInMs: number }> {
    const invoice = await this.invoices.findById(saga.tenantId, saga.data.invoiceId);
    if (invoice) {
      await this.outbox.append(IssueInvoice, {
        tenantId: saga.tenantId,
        key: invoice.id,
        payload: issueInvoiceCommand(invoice),
      });
    }
    return { retryInMs: resendDelayMs(this.config, saga.attempts) };
  }

  /**
   * A batch of the authority's answers: their sagas locked in one statement (before the invoices, the lock
   * order everywhere), then the issued ones' invoices read in one.
   */
  async authorityOutcomesAhead(
    envelopes: MessageOf<typeof InvoiceIssuedByAuthority | typeof InvoiceRejectedByAuthority>[],
  ): Promise<void> {
    await this.saga.lockAhead(envelopes.map((envelope) => envelope.payload.invoiceId));
    const issued = envelopes.filter((envelope) => envelope.type === InvoiceIssuedByAuthority.type);
    await this.invoices.loadAhead({
      ids: issued.map(({ tenantId, payload }) => ({ tenantId, id: payload.invoiceId })),
    });
  }

  /** The authority issued the invoice (reported by tax-bridge). */
  async issued(envelope: MessageOf<typeof InvoiceIssuedByAuthority>): Promise<void> {
    const { invoiceId, number, issuedAt, fileRef } = envelope.payload;
    annotateActiveSpan({ invoiceId, sagaStep: 'AUTHORITY_ISSUED' });
    // Saga row first, like the saga sweeper: the same lock order everywhere rules out deadlocks.
    const saga = await this.saga.lock(invoiceId);
    assertOwnedBy(saga, envelope.tenantId, (tenantId) => InvoiceErrors.tenantMismatch(invoiceId, tenantId));
    const invoice = await this.invoices.findById(envelope.tenantId, invoiceId);
    if (!invoice) return;
    if (!invoice.issue({ number, issuedAt: new Date(issuedAt), fileRef })) {
      // Issued before: a redelivery, or the answer to a resubmission after an operator retried a saga that
      // needed attention while the first answer was recorded. A saga still running would resubmit for ever.
      if (saga?.state === 'RUNNING') await this.saga.complete(saga, `ISSUED ${invoice.number ?? number}`);
      return;
    }
    await this.invoices.save(invoice);
    await this.outbox.append(InvoiceIssued, {
      tenantId: envelope.tenantId,
      key: invoice.id,
      causedBy: envelope,
      payload: { invoiceId: invoice.id, orderId: invoice.orderId, number, issuedAt, totals: invoice.totals },
    });
    if (saga?.state === 'RUNNING') await this.saga.complete(saga, `ISSUED ${number}`);
    // The order may have been cancelled while the invoice was on its way.
    await this.reversal.reverseIfCancelled(invoice, envelope);
  }

  /** The authority refused the invoice for good: the saga fails and its compensation voids the draft. */
  async rejected(envelope: MessageOf<typeof InvoiceRejectedByAuthority>): Promise<void> {
    const { invoiceId, code, message } = envelope.payload;
    annotateActiveSpan({ invoiceId, sagaStep: 'AUTHORITY_REJECTED' });
    const saga = await this.saga.lock(invoiceId);
    assertOwnedBy(saga, envelope.tenantId, (tenantId) => InvoiceErrors.tenantMismatch(invoiceId, tenantId));
    if (saga?.state !== 'RUNNING') return;
    await this.saga.fail(saga, `${code}: ${message}`, { ...saga.data, rejection: { code, message } });
  }

  /** Compensation of AWAITING_AUTHORITY: the draft is void, and the order learns why. */
  private async voidDraft(saga: SagaInstance<IssuanceData>): Promise<void> {
    const invoice = await this.invoices.findById(saga.tenantId, saga.data.invoiceId);
    const rejection = saga.data.rejection ?? {
      code: 'INVOICE.ISSUANCE_FAILED',
      message: saga.lastError ?? 'failed',
    };
    // Throws for an issued invoice: the compensation is retried, then needs an operator (a reversal).
    if (!invoice?.reject(rejection)) return;
    await this.invoices.save(invoice);
    await this.outbox.append(InvoiceRejected, {
      tenantId: saga.tenantId,
      key: invoice.id,
      payload: { invoiceId: invoice.id, orderId: invoice.orderId, stage: 'authority', errors: [rejection] },
    });
  }
}
