import Decimal from 'decimal.js';
import { createHash } from 'node:crypto';
import type { AuthorityIssueRequest, AuthorityLine, Party } from '@fapiao/contracts';
import type { ConfirmationStatus } from '@fapiao/invoice-domain';
import type { RedLetterForm } from '../domain/red-letter';
import { IssuedInvoiceEntity } from './issued-invoice.entity';
import { RedLetterFormEntity } from './red-letter-form.entity';

/** What `issued_invoices.payload` holds. */
export interface InvoicePayload {
  buyer: Party;
  lines: AuthorityLine[];
}

export const readPayload = (invoice: IssuedInvoiceEntity): InvoicePayload =>
  JSON.parse(invoice.payload) as InvoicePayload;

/** The row of an invoice issued as `request` asks, under `number`, at `issuedAt`. */
export function toIssuedInvoice(
  request: AuthorityIssueRequest,
  number: string,
  issuedAt: Date,
): IssuedInvoiceEntity {
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
  invoice.issuedAt = issuedAt;
  return invoice;
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

export function toRedLetterForm(entity: RedLetterFormEntity): RedLetterForm {
  return {
    id: entity.id,
    serial: entity.serial,
    blueInvoiceNumber: entity.blueNumber,
    sellerTaxId: entity.sellerTaxId,
    initiator: entity.initiator,
    reasonCode: entity.reasonCode,
    scope: entity.scope,
    status: entity.state as ConfirmationStatus,
    lines: JSON.parse(entity.planLines) as RedLetterForm['lines'],
    totals: { net: entity.totalNet, tax: entity.totalTax, gross: entity.totalGross },
    raisedAt: entity.raisedAt.toISOString(),
    ...(entity.expiresAt && { expiresAt: entity.expiresAt.toISOString() }),
    updatedAt: entity.updatedAt.toISOString(),
    ...(entity.redInvoiceNumber && { redInvoiceNumber: entity.redInvoiceNumber }),
  };
}

export function toRedLetterFormEntity(form: RedLetterForm): RedLetterFormEntity {
  const entity = new RedLetterFormEntity();
  entity.id = form.id;
  entity.serial = form.serial;
  entity.blueNumber = form.blueInvoiceNumber;
  entity.sellerTaxId = form.sellerTaxId;
  entity.initiator = form.initiator;
  entity.reasonCode = form.reasonCode;
  entity.scope = form.scope;
  entity.state = form.status;
  entity.planLines = JSON.stringify(form.lines);
  entity.totalNet = form.totals.net;
  entity.totalTax = form.totals.tax;
  entity.totalGross = form.totals.gross;
  entity.raisedAt = new Date(form.raisedAt);
  entity.expiresAt = form.expiresAt ? new Date(form.expiresAt) : null;
  entity.updatedAt = new Date(form.updatedAt);
  entity.redInvoiceNumber = form.redInvoiceNumber ?? null;
  return entity;
}
