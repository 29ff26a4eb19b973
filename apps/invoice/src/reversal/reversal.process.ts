import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  InvoiceReversalRefused,
  InvoiceReversed,
  InvoiceReversedByAuthority,
  OrderCancelled,
  RedLetterFormRaised,
  ReversalRefusedByAuthority,
  ReverseInvoice,
  type Envelope,
  type MessageOf,
  type ReverseInvoiceRequest,
} from '@fapiao/contracts';
import type { PreviousReversal } from '@fapiao/invoice-domain';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { Clock } from '@fapiao/platform/resilience';
import { SagaEngine, type DeclaredSaga, type SagaInstance } from '@fapiao/platform/saga';
import type { Invoice } from '../domain/invoice';
import { InvoiceErrors } from '../domain/invoice.errors';
import { InvoiceRepository } from '../domain/invoice.repository';
import { assertOwnedBy } from '../domain/ownership';
import { Reversal, type ReversalRequest } from '../domain/reversal';
import {
  planInvoiceReversal,
  remainderScope,
  type BlueInvoice,
  type ReversalScope,
} from '../domain/reversal-plan';
import { ReversalErrors } from '../domain/reversal.errors';
import { ReversalRepository } from '../domain/reversal.repository';
import { INVOICE_CONFIG, type InvoiceConfig } from '../invoice.config';
import { resendDelayMs } from '../resend-delay';
import { reverseInvoiceCommand } from './reverse-invoice.command';

export const REVERSAL_SAGA = 'invoice-reversal';

export const ReversalStep = {
  /** ReverseInvoice is out: tax-bridge raises the confirmation form (红字确认单) at the authority. */
  AwaitingAuthority: 'AWAITING_AUTHORITY',
  /** The form waits for the buyer; the authority voids it unanswered and says so. */
  AwaitingConfirmation: 'AWAITING_CONFIRMATION',
} as const;
export type ReversalStep = (typeof ReversalStep)[keyof typeof ReversalStep];

export interface ReversalData {
  reversalId: string;
  invoiceId: string;
  orderId: string;
  /** Why the authority (or the buyer) refused, when it did: reported by the compensation. */
  refusal?: { code: string; message: string };
}

/** Without a reason, a cancelled order's goods go back: 02 销货退回. */
const DEFAULT_CANCEL_REASON = '02';

/**
 * The red-letter reversal (红冲) of an issued invoice (architecture.md §4), every reaction in the order it happens:
 *
 *   a request (HTTP) or a cancelled order ─ plan with the domain rules ─ refused ─► the request: 409/422;
 *                                                                                   a cancellation: REFUSED + InvoiceReversalRefused
 *                                          └ planned ─► REQUESTED + ReverseInvoice; saga AWAITING_AUTHORITY
 *   a step's deadline             ─► ReverseInvoice again with the same serials (tax-bridge and the authority
 *                                    deduplicate on them), backing off, never given up
 *   RedLetterFormRaised           ─► AWAITING_CONFIRMATION (the buyer confirms the form at the authority)
 *   InvoiceReversedByAuthority    ─► REVERSED; the invoice PARTIALLY_REVERSED or REVERSED + InvoiceReversed;
 *                                    saga COMPLETED; a cancellation that waited goes ahead
 *   ReversalRefusedByAuthority    ─► saga fails; its compensation (release-reversal): REFUSED +
 *                                    InvoiceReversalRefused, and a cancellation that waited goes ahead
 *   OrderCancelled                ─► a rejected invoice is CANCELLED; any other remembers the reason and
 *                                    what remains is reversed as soon as the invoice allows it
 *
 * One reversal runs at a time per invoice, planned under the invoice's row lock against what the earlier
 * ones took. Lock order as everywhere: saga row, then the invoice, then the reversal.
 */
@Injectable()
export class ReversalProcess {
  private readonly saga: DeclaredSaga<ReversalData, ReversalStep>;

  constructor(
    engine: SagaEngine,
    private readonly invoices: InvoiceRepository,
    private readonly reversals: ReversalRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(INVOICE_CONFIG) private readonly config: InvoiceConfig,
  ) {
    const resend = { deadlineMs: config.submissionTimeoutMs, onTimeout: this.resend.bind(this) };
    this.saga = engine.declare<ReversalData, ReversalStep>({
      type: REVERSAL_SAGA,
      maxStepAttempts: Number.POSITIVE_INFINITY,
      steps: {
        [ReversalStep.AwaitingAuthority]: {
          ...resend,
          compensation: { name: 'release-reversal', run: (saga) => this.release(saga) },
        },
        [ReversalStep.AwaitingConfirmation]: resend,
      },
    });
  }

  /**
   * A client asked to reverse an invoice (in the caller's unit of work). The same Idempotency-Key with the
   * same request answers the reversal it started; a refusal throws its DomainError.
   */
  async request(command: {
    tenantId: string;
    invoiceId: string;
    idempotencyKey?: string;
    request: ReverseInvoiceRequest;
  }): Promise<{ reversal: Reversal; replayed: boolean }> {
    const { tenantId, invoiceId, idempotencyKey, request } = command;
    const scope: ReversalScope = request.lines ?? 'full';
    const invoice = await this.invoices.lock(tenantId, invoiceId);
    if (!invoice) throw InvoiceErrors.notFound(invoiceId);
    if (idempotencyKey) {
      const earlier = await this.reversals.findByIdempotencyKey(tenantId, idempotencyKey);
      if (earlier) {
        if (!earlier.sameRequest(invoiceId, request.reasonCode, scope))
          throw ReversalErrors.idempotencyKeyReused();
        return { reversal: earlier, replayed: true };
      }
    }
    const history = await this.reversals.listForInvoice(invoice.id);
    const reversal = await this.begin(invoice, history, {
      tenantId,
      invoiceId,
      scope,
      reasonCode: request.reasonCode,
      cause: 'request',
      idempotencyKey,
    });
    return { reversal, replayed: false };
  }

  /** The order was cancelled: cancel a rejected invoice, or reverse what remains of this one once possible. */
  async orderCancelled(envelope: MessageOf<typeof OrderCancelled>): Promise<void> {
    const invoice = await this.invoices.lockByOrder(envelope.tenantId, envelope.payload.orderId);
    if (!invoice) return;
    annotateActiveSpan({ orderId: invoice.orderId, invoiceId: invoice.id });
    const cancelled = invoice.orderCancelled(envelope.payload.reasonCode ?? DEFAULT_CANCEL_REASON);
    await this.invoices.save(invoice);
    if (!cancelled) await this.reverseIfCancelled(invoice, envelope);
  }

  /**
   * Carries out a cancelled order's reversal once the invoice is issued and no other reversal runs: called
   * wherever one of those may have just become true. A refusal is recorded and announced, never thrown.
   */
  async reverseIfCancelled(invoice: Invoice, causedBy?: Envelope): Promise<void> {
    const reasonCode = invoice.cancelReason;
    if (!reasonCode || !invoice.reversible) return;
    const history = await this.reversals.listForInvoice(invoice.id);
    if (history.some((reversal) => reversal.pending)) return;
    invoice.takeCancelReason();
    await this.invoices.save(invoice);
    const scope = remainderScope(blueOf(invoice), issuedOf(history));
    if (!scope) return;
    const request: ReversalRequest = {
      tenantId: invoice.tenantId,
      invoiceId: invoice.id,
      scope,
      reasonCode,
      cause: 'order-cancelled',
    };
    try {
      await this.begin(invoice, history, request, causedBy);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const refused = Reversal.refuse(
        uuidv7(),
        request,
        { code: error.code, message: error.message },
        this.clock.now(),
      );
      await this.reversals.add(refused);
      await this.announceRefusal(invoice, refused, causedBy);
    }
  }

  /** Plans the red-letter invoice, stores the reversal, sends ReverseInvoice and starts the saga. */
  private async begin(
    invoice: Invoice,
    history: readonly Reversal[],
    request: ReversalRequest,
    causedBy?: Envelope,
  ): Promise<Reversal> {
    // A fully reversed invoice is planned too: the plan refuses it with its own stable codes.
    if (!invoice.issuedOnce) throw ReversalErrors.invoiceNotIssued(invoice.status);
    const pending = history.find((reversal) => reversal.pending);
    if (pending) throw ReversalErrors.inProgress(pending.id);
    const plan = planInvoiceReversal(blueOf(invoice), issuedOf(history), request.scope, request.reasonCode);
    const reversal = Reversal.request(uuidv7(), request, plan, this.clock.now());
    await this.reversals.add(reversal);
    const command = await this.outbox.append(ReverseInvoice, {
      tenantId: invoice.tenantId,
      key: invoice.id,
      causedBy,
      payload: reverseInvoiceCommand(invoice, reversal),
    });
    await this.saga.start({
      id: reversal.id,
      tenantId: invoice.tenantId,
      correlationId: command.correlationId,
      step: ReversalStep.AwaitingAuthority,
      data: { reversalId: reversal.id, invoiceId: invoice.id, orderId: invoice.orderId },
      fresh: true, // the new reversal's id
    });
    return reversal;
  }

  /** A step's deadline passed: the same command again, later and later. */
  private async resend(saga: SagaInstance<ReversalData>): Promise<{ retryInMs: number }> {
    const invoice = await this.invoices.findById(saga.tenantId, saga.data.invoiceId);
    const reversal = await this.reversals.findById(saga.tenantId, saga.data.reversalId);
    if (invoice && reversal) {
      await this.outbox.append(ReverseInvoice, {
        tenantId: saga.tenantId,
        key: invoice.id,
        payload: reverseInvoiceCommand(invoice, reversal),
      });
    }
    return { retryInMs: resendDelayMs(this.config, saga.attempts) };
  }

  /** The authority raised the confirmation form: it waits for the buyer. */
  async formRaised(envelope: MessageOf<typeof RedLetterFormRaised>): Promise<void> {
    const { invoiceId, reversalId, formId, expiresAt } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId, sagaStep: ReversalStep.AwaitingConfirmation });
    const saga = await this.saga.lock(reversalId);
    assertOwnedBy(saga, envelope.tenantId, (tenantId) => ReversalErrors.tenantMismatch(reversalId, tenantId));
    const reversal = await this.reversals.findById(envelope.tenantId, reversalId);
    if (!reversal?.formRaised(formId, expiresAt ? new Date(expiresAt) : null)) return;
    await this.reversals.save(reversal);
    if (saga?.state === 'RUNNING') {
      await this.saga.advance(saga, ReversalStep.AwaitingConfirmation, {
        note: `confirmation form ${formId} awaits the buyer until ${expiresAt ?? '-'}`,
      });
    }
  }

  /** The red-letter invoice is issued. */
  async reversed(envelope: MessageOf<typeof InvoiceReversedByAuthority>): Promise<void> {
    const { invoiceId, reversalId, formId, number, issuedAt, fileRef, totals } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId, sagaStep: 'AUTHORITY_REVERSED' });
    const saga = await this.saga.lock(reversalId);
    assertOwnedBy(saga, envelope.tenantId, (tenantId) => ReversalErrors.tenantMismatch(reversalId, tenantId));
    const invoice = await this.invoices.lock(envelope.tenantId, invoiceId);
    const reversal = await this.reversals.findById(envelope.tenantId, reversalId);
    if (!invoice || !reversal?.reversed(formId, { number, totals, issuedAt: new Date(issuedAt), fileRef }))
      return;
    await this.reversals.save(reversal);
    const reds = (await this.reversals.listForInvoice(invoice.id)).filter((each) => each.red);
    const reversedGross = reds.reduce((sum, each) => sum.plus(each.red?.totals.gross ?? 0), new Decimal(0));
    const remaining = invoice.reversed({ number, formId, gross: totals.gross }, reversedGross);
    await this.invoices.save(invoice);
    await this.outbox.append(InvoiceReversed, {
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
        fullyReversed: remaining.lte(0),
      },
    });
    if (saga?.state === 'RUNNING') await this.saga.complete(saga, `REVERSED ${number}`);
    await this.reverseIfCancelled(invoice, envelope);
  }

  /** The authority or the buyer said no: the saga fails and its compensation releases the reversal. */
  async refused(envelope: MessageOf<typeof ReversalRefusedByAuthority>): Promise<void> {
    const { invoiceId, reversalId, code, message } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId, sagaStep: 'AUTHORITY_REFUSED' });
    const saga = await this.saga.lock(reversalId);
    assertOwnedBy(saga, envelope.tenantId, (tenantId) => ReversalErrors.tenantMismatch(reversalId, tenantId));
    if (saga?.state !== 'RUNNING') return;
    await this.saga.fail(saga, `${code}: ${message}`, { ...saga.data, refusal: { code, message } });
  }

  /**
   * Compensation of AWAITING_AUTHORITY: the reversal is REFUSED and announced (a cancelling order returns
   * to invoiced), and a cancellation that waited for it goes ahead.
   */
  private async release(saga: SagaInstance<ReversalData>): Promise<void> {
    const invoice = await this.invoices.lock(saga.tenantId, saga.data.invoiceId);
    const reversal = await this.reversals.findById(saga.tenantId, saga.data.reversalId);
    const refusal = saga.data.refusal ?? { code: 'REVERSAL.FAILED', message: saga.lastError ?? 'failed' };
    if (!invoice || !reversal?.refused(refusal)) return;
    await this.reversals.save(reversal);
    await this.announceRefusal(invoice, reversal);
    await this.reverseIfCancelled(invoice);
  }

  private async announceRefusal(invoice: Invoice, reversal: Reversal, causedBy?: Envelope): Promise<void> {
    const error = reversal.snapshot().error ?? { code: 'REVERSAL.FAILED', message: 'refused' };
    await this.outbox.append(InvoiceReversalRefused, {
      tenantId: invoice.tenantId,
      key: invoice.id,
      causedBy,
      payload: {
        invoiceId: invoice.id,
        orderId: invoice.orderId,
        reversalId: reversal.id,
        cause: reversal.cause,
        code: error.code,
        message: error.message,
        partiallyReversed: invoice.status === 'PARTIALLY_REVERSED',
      },
    });
  }
}

function blueOf(invoice: Invoice): BlueInvoice {
  return {
    number: invoice.number as string,
    lines: invoice.lines.map(({ lineNo, net, tax, quantity }) => ({ lineNo, net, tax, quantity })),
  };
}

/** The reversals the authority carried out, as the plan reads them. */
function issuedOf(history: readonly Reversal[]): PreviousReversal[] {
  return history
    .filter((reversal) => reversal.status === 'REVERSED')
    .map((reversal) => ({ kind: reversal.kind, lines: reversal.snapshot().lines }));
}
