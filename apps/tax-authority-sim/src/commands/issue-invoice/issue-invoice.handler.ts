import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { createHash } from 'node:crypto';
import {
  AuthorityErrorCodes as Codes,
  type AuthorityIssueRequest,
  type AuthorityIssueResponse,
} from '@fapiao/contracts';
import { Clock } from '../../domain/clock';
import { formatInvoiceNumber, invoiceNumberPrefix } from '../../domain/invoice-number';
import { applyFormEvent, USABLE_STATES, settleExpiry, type RedLetterForm } from '../../domain/red-letter';
import { SimErrors } from '../../domain/sim.errors';
import { checkSubmission } from '../../domain/submission';
import { IssuedInvoiceEntity } from '../../infrastructure/issued-invoice.entity';
import type { InvoicePayload } from '../../infrastructure/mappers';
import { SimRepository, type SimTransaction } from '../../infrastructure/sim.repository';
import { duplicateSubmissionsTotal, invoicesIssuedTotal } from '../../metrics';
import { toInvoice } from '../../queries/views';
import { SIM_CONFIG, type SimConfig } from '../../sim.config';

const TOTAL_FIELDS = ['net', 'tax', 'gross'] as const;

@Injectable()
export class IssueInvoiceHandler {
  constructor(
    private readonly repository: SimRepository,
    private readonly clock: Clock,
    @Inject(SIM_CONFIG) private readonly config: SimConfig,
  ) {}

  /** Issues once per serial: a serial seen before gets its invoice back, whatever the body says now. */
  async execute(request: AuthorityIssueRequest): Promise<AuthorityIssueResponse> {
    const existing = await this.repository.invoiceBySerial(request.serial);
    if (existing) return this.duplicate(existing);
    const errors = checkSubmission(request);
    if (errors.length > 0) {
      const [first] = errors;
      throw SimErrors.reject(first.code, first.message, first.field, errors);
    }
    try {
      const invoice = await this.repository.transaction((tx) => this.issue(tx, request));
      invoicesIssuedTotal.inc({ kind: invoice.kind });
      return { ...toInvoice(invoice), duplicate: false };
    } catch (error) {
      // Lost the race against a concurrent submission of the same serial: that one's invoice is the answer.
      const winner = await this.repository.invoiceBySerial(request.serial);
      if (winner) return this.duplicate(winner);
      throw error;
    }
  }

  private duplicate(invoice: IssuedInvoiceEntity): AuthorityIssueResponse {
    duplicateSubmissionsTotal.inc({ resource: 'invoice' });
    return { ...toInvoice(invoice), duplicate: true };
  }

  private async issue(tx: SimTransaction, request: AuthorityIssueRequest): Promise<IssuedInvoiceEntity> {
    const now = this.clock.now();
    const form = request.kind === 'red' ? await this.checkReversal(tx, request, now) : undefined;
    const prefix = invoiceNumberPrefix(now, request.seller.taxId, this.config.channel);
    const number = formatInvoiceNumber(prefix, await tx.nextSequence(prefix));
    const payload: InvoicePayload = { buyer: request.buyer, lines: request.lines };

    const invoice = new IssuedInvoiceEntity();
    invoice.number = number;
    invoice.serial = request.serial;
    invoice.sellerTaxId = request.seller.taxId;
    invoice.kind = request.kind;
    invoice.invoiceType = request.invoiceType;
    invoice.originalNumber = request.originalNumber ?? null;
    invoice.redLetterFormId = request.redLetterFormId ?? null;
    // Canonical two-place spelling, as the DECIMAL columns give it back.
    invoice.totalNet = new Decimal(request.totals.net).toFixed(2);
    invoice.totalTax = new Decimal(request.totals.tax).toFixed(2);
    invoice.totalGross = new Decimal(request.totals.gross).toFixed(2);
    invoice.payload = JSON.stringify(payload);
    invoice.fileRef = fileRef(number, request.seller.taxId, payload, invoice);
    invoice.buyerConfirmedAt = null;
    invoice.issuedAt = now;
    await tx.insertInvoice(invoice);
    if (form) await tx.saveForm(applyFormEvent(form, { type: 'issue', redInvoiceNumber: number }, now));
    return invoice;
  }

  /**
   * A red-letter invoice reverses a blue invoice of the same seller, against a usable confirmation form
   * for that invoice, with exactly the form's totals and never more than what remains of the blue one.
   * The blue invoice stays locked until commit, so concurrent reversals of it queue up.
   */
  private async checkReversal(
    tx: SimTransaction,
    request: AuthorityIssueRequest,
    now: Date,
  ): Promise<RedLetterForm> {
    const originalNumber = request.originalNumber as string;
    const blue = await tx.lockInvoice(originalNumber);
    if (!blue)
      throw SimErrors.reject(
        Codes.originalNotFound,
        `No invoice ${originalNumber} has been issued`,
        'originalNumber',
      );
    if (blue.kind !== 'blue') {
      throw SimErrors.reject(
        Codes.originalNotBlue,
        `${originalNumber} is a red-letter invoice`,
        'originalNumber',
      );
    }
    if (blue.sellerTaxId !== request.seller.taxId) {
      throw SimErrors.reject(
        Codes.originalMismatch,
        `${originalNumber} was issued by another seller`,
        'seller.taxId',
      );
    }
    const formId = request.redLetterFormId as string;
    const stored = await tx.lockForm(formId);
    if (!stored)
      throw SimErrors.reject(
        Codes.redLetterFormNotFound,
        `No confirmation form ${formId}`,
        'redLetterFormId',
      );
    if (stored.blueInvoiceNumber !== originalNumber) {
      throw SimErrors.reject(
        Codes.redLetterFormMismatch,
        `Form ${formId} reverses ${stored.blueInvoiceNumber}`,
        'redLetterFormId',
      );
    }
    const form = settleExpiry(stored, now);
    if (!USABLE_STATES.includes(form.status)) {
      throw SimErrors.reject(
        Codes.redLetterFormNotConfirmed,
        `Form ${formId} is ${form.status}`,
        'redLetterFormId',
      );
    }
    const reversed = (await tx.redInvoicesOf(originalNumber)).reduce(
      (sum, red) => sum.plus(red.totalGross),
      new Decimal(0),
    );
    const remaining = new Decimal(blue.totalGross).plus(reversed);
    if (new Decimal(request.totals.gross).neg().gt(remaining)) {
      throw SimErrors.reject(
        Codes.redExceedsBlue,
        `Only ${remaining.toFixed(2)} of ${originalNumber} remains to reverse`,
        'totals.gross',
      );
    }
    for (const field of TOTAL_FIELDS) {
      if (!new Decimal(request.totals[field]).eq(form.totals[field])) {
        throw SimErrors.reject(
          Codes.redLetterFormMismatch,
          `totals.${field} must be the form's ${form.totals[field]}`,
          `totals.${field}`,
        );
      }
    }
    return form;
  }
}

/** Where the signed file would be: a digest of the issued content stands in for the signature. */
function fileRef(
  number: string,
  sellerTaxId: string,
  payload: InvoicePayload,
  invoice: IssuedInvoiceEntity,
): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify({
        number,
        sellerTaxId,
        payload,
        totals: [invoice.totalNet, invoice.totalTax, invoice.totalGross],
      }),
    )
    .digest('hex');
  return `sim://invoices/${number}.ofd?sha256=${digest}`;
}
