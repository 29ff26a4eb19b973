import type { AuthorityLine, Party } from '@fapiao/contracts';
import type { ConfirmationStatus } from '@fapiao/invoice-domain';
import type { RedLetterForm } from '../domain/red-letter';
import type { IssuedInvoiceEntity } from './issued-invoice.entity';
import { RedLetterFormEntity } from './red-letter-form.entity';

/** What `issued_invoices.payload` holds. */
export interface InvoicePayload {
  buyer: Party;
  lines: AuthorityLine[];
}

export const readPayload = (invoice: IssuedInvoiceEntity): InvoicePayload =>
  JSON.parse(invoice.payload) as InvoicePayload;

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
