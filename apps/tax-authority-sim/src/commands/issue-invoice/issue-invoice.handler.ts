import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import {
  AuthorityErrorCodes as Codes,
  type AuthorityIssueRequest,
  type AuthorityIssueResponse,
} from '@fapiao/contracts';
import { Clock } from '../../domain/clock';
import { invoiceNumberPrefix } from '../../domain/invoice-number';
import { applyFormEvent, USABLE_STATES, settleExpiry, type RedLetterForm } from '../../domain/red-letter';
import { SimErrors } from '../../domain/sim.errors';
import { checkSubmission } from '../../domain/submission';
import { IssuedInvoiceEntity } from '../../infrastructure/issued-invoice.entity';
import { toIssuedInvoice } from '../../infrastructure/mappers';
import { NumberAllocator } from '../../infrastructure/number-allocator';
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
    private readonly numbers: NumberAllocator,
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
    // Numbered before the transaction (NumberAllocator); a number whose invoice is then refused is a gap.
    const now = this.clock.now();
    const [number] = await this.numbers.numbers(
      invoiceNumberPrefix(now, request.seller.taxId, this.config.channel),
    );
    try {
      const invoice = await this.repository.transaction((tx) => this.issue(tx, request, number, now));
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

  private async issue(
    tx: SimTransaction,
    request: AuthorityIssueRequest,
    number: string,
    now: Date,
  ): Promise<IssuedInvoiceEntity> {
    const form = request.kind === 'red' ? await this.checkReversal(tx, request, now) : undefined;
    const invoice = toIssuedInvoice(request, number, now);
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
