import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  InvoiceReversalRefused,
  ReverseInvoice,
  type Envelope,
  type ReversalCause,
} from '@fapiao/contracts';
import type { PreviousReversal, ReversalLine } from '@fapiao/invoice-domain';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { SagaEngine } from '@fapiao/platform/saga';
import { ISSUED_ONCE, PENDING_REVERSAL, REVERSIBLE, reversalSerials } from '../domain/invoice-status';
import {
  planInvoiceReversal,
  remainderScope,
  type BlueInvoice,
  type ReversalScope,
} from '../domain/reversal-plan';
import { ReversalErrors } from '../domain/reversal.errors';
import type { InvoiceEntity } from '../infrastructure/invoice.entity';
import { InvoiceRepository } from '../infrastructure/invoice.repository';
import { ReversalEntity } from '../infrastructure/reversal.entity';
import { ReversalRepository } from '../infrastructure/reversal.repository';
import { INVOICE_CONFIG, type InvoiceConfig } from '../invoice.config';
import { REVERSAL_SAGA, REVERSAL_STEPS, type ReversalData } from './reversal-saga.types';
import { reverseInvoiceCommand } from './reverse-invoice-command';

export interface StartReversal {
  /** Locked by the caller's transaction, with its lines. */
  invoice: InvoiceEntity;
  scope: ReversalScope;
  reasonCode: ReversalEntity['reasonCode'];
  cause: ReversalCause;
  idempotencyKey?: string;
  causedBy?: Envelope;
}

/**
 * Starts red-letter reversals (DESIGN.md §4): plans the red-letter invoice with the domain rules, stores
 * the reversal, starts its saga and sends ReverseInvoice — all in the caller's transaction. Also carries
 * out a cancelled order's reversal as soon as its invoice allows one.
 */
@Injectable()
export class ReversalStarter {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly reversals: ReversalRepository,
    private readonly sagas: SagaEngine,
    private readonly outbox: OutboxWriter,
    @Inject(INVOICE_CONFIG) private readonly config: InvoiceConfig,
  ) {}

  /** Throws a DomainError (with a stable code) when the reversal is not possible now. */
  async start(manager: EntityManager, request: StartReversal): Promise<ReversalEntity> {
    return this.begin(manager, request, await this.reversals.listForInvoice(request.invoice.id, manager));
  }

  /** `history`: the invoice's reversals so far, oldest first. */
  private async begin(
    manager: EntityManager,
    request: StartReversal,
    history: readonly ReversalEntity[],
  ): Promise<ReversalEntity> {
    const { invoice } = request;
    // A fully reversed invoice is planned too: the plan refuses it with its own stable codes.
    if (!ISSUED_ONCE.includes(invoice.status)) throw ReversalErrors.invoiceNotIssued(invoice.status);
    const pending = history.find((reversal) => PENDING_REVERSAL.includes(reversal.status));
    if (pending) throw ReversalErrors.inProgress(pending.id);
    const plan = planInvoiceReversal(blueOf(invoice), issuedOf(history), request.scope, request.reasonCode);

    const reversal = this.entity(request, 'REQUESTED');
    reversal.kind = plan.kind;
    reversal.lines = JSON.stringify(plan.lines);
    reversal.plannedNet = plan.totals.amount;
    reversal.plannedTax = plan.totals.tax;
    reversal.plannedGross = plan.totals.gross;
    await this.reversals.insert(manager, reversal);
    const command = await this.outbox.append(manager, ReverseInvoice, {
      tenantId: invoice.tenantId,
      key: invoice.id,
      causedBy: request.causedBy,
      payload: reverseInvoiceCommand(invoice, reversal),
    });
    const data: ReversalData = { reversalId: reversal.id, invoiceId: invoice.id, orderId: invoice.orderId };
    await this.sagas.start(manager, {
      type: REVERSAL_SAGA,
      id: reversal.id,
      tenantId: invoice.tenantId,
      correlationId: command.correlationId,
      step: REVERSAL_STEPS.awaitingAuthority,
      data,
      deadlineMs: this.config.submissionTimeoutMs,
      compensations: [{ name: 'release-reversal', payload: { reversalId: reversal.id } }],
    });
    return reversal;
  }

  /**
   * The order was cancelled: once the invoice is issued and no other reversal is running, reverse what
   * remains for the cancellation's reason. Called wherever one of those conditions may have just become
   * true. A refusal is recorded as a REFUSED reversal and announced, never thrown.
   */
  async reverseIfCancelled(
    manager: EntityManager,
    invoice: InvoiceEntity,
    causedBy?: Envelope,
  ): Promise<void> {
    const reasonCode = invoice.cancelReasonCode;
    if (!reasonCode || !REVERSIBLE.includes(invoice.status)) return;
    const history = await this.reversals.listForInvoice(invoice.id, manager);
    if (history.some((reversal) => PENDING_REVERSAL.includes(reversal.status))) return;
    await this.invoices.setCancelReason(manager, invoice, null);
    const scope = remainderScope(blueOf(invoice), issuedOf(history));
    if (!scope) return;
    const request: StartReversal = { invoice, scope, reasonCode, cause: 'order-cancelled', causedBy };
    try {
      await this.begin(manager, request, history);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.refuse(manager, request, error);
    }
  }

  private async refuse(manager: EntityManager, request: StartReversal, error: DomainError): Promise<void> {
    const reversal = this.entity(request, 'REFUSED');
    reversal.kind = request.scope === 'full' ? 'full' : 'partial';
    reversal.lines = '[]';
    reversal.plannedNet = reversal.plannedTax = reversal.plannedGross = '0.00';
    reversal.error = JSON.stringify({ code: error.code, message: error.message });
    await this.reversals.insert(manager, reversal);
    const { invoice } = request;
    await this.outbox.append(manager, InvoiceReversalRefused, {
      tenantId: invoice.tenantId,
      key: invoice.id,
      causedBy: request.causedBy,
      payload: {
        invoiceId: invoice.id,
        orderId: invoice.orderId,
        reversalId: reversal.id,
        cause: request.cause,
        code: error.code,
        message: error.message,
        partiallyReversed: invoice.status === 'PARTIALLY_REVERSED',
      },
    });
  }

  private entity(request: StartReversal, status: ReversalEntity['status']): ReversalEntity {
    const reversal = new ReversalEntity();
    reversal.id = uuidv7();
    const { formSerial, redSerial } = reversalSerials(reversal.id);
    Object.assign(reversal, {
      tenantId: request.invoice.tenantId,
      invoiceId: request.invoice.id,
      cause: request.cause,
      reasonCode: request.reasonCode,
      status,
      idempotencyKey: request.idempotencyKey ?? null,
      scope: JSON.stringify(request.scope),
      formSerial,
      redSerial,
      formId: null,
      formExpiresAt: null,
      redNumber: null,
      redNet: null,
      redTax: null,
      redGross: null,
      redIssuedAt: null,
      redFileRef: null,
      error: null,
      createdAt: new Date(),
      updatedAt: new Date(),
      version: 1,
    });
    return reversal;
  }
}

export function blueOf(invoice: InvoiceEntity): BlueInvoice {
  return {
    number: invoice.number as string,
    lines: (invoice.lines ?? []).map(({ lineNo, net, tax, quantity }) => ({ lineNo, net, tax, quantity })),
  };
}

/** The reversals the authority carried out, as the plan reads them. */
export function issuedOf(history: readonly ReversalEntity[]): PreviousReversal[] {
  return history
    .filter((reversal) => reversal.status === 'REVERSED')
    .map((reversal) => ({ kind: reversal.kind, lines: JSON.parse(reversal.lines) as ReversalLine[] }));
}
