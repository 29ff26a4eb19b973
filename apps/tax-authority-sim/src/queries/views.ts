import type { AuthorityInvoice, AuthorityInvoiceSummary, AuthorityRedLetterForm } from '@fapiao/contracts';
import type { RedLetterForm } from '../domain/red-letter';
import type { IssuedInvoiceEntity } from '../infrastructure/issued-invoice.entity';
import { readPayload } from '../infrastructure/mappers';

export function toInvoiceSummary(invoice: IssuedInvoiceEntity): AuthorityInvoiceSummary {
  return {
    number: invoice.number,
    serial: invoice.serial,
    kind: invoice.kind,
    invoiceType: invoice.invoiceType,
    seller: { taxId: invoice.sellerTaxId },
    buyer: readPayload(invoice).buyer,
    totals: { net: invoice.totalNet, tax: invoice.totalTax, gross: invoice.totalGross },
    originalNumber: invoice.originalNumber,
    redLetterFormId: invoice.redLetterFormId,
    issuedAt: invoice.issuedAt.toISOString(),
    fileRef: invoice.fileRef,
    buyerConfirmed: invoice.buyerConfirmedAt !== null,
  };
}

export function toInvoice(invoice: IssuedInvoiceEntity): AuthorityInvoice {
  return { ...toInvoiceSummary(invoice), lines: readPayload(invoice).lines };
}

export function toFormView(form: RedLetterForm): AuthorityRedLetterForm {
  return {
    id: form.id,
    serial: form.serial,
    blueNumber: form.blueInvoiceNumber,
    sellerTaxId: form.sellerTaxId,
    initiator: form.initiator,
    reasonCode: form.reasonCode as AuthorityRedLetterForm['reasonCode'],
    scope: form.scope,
    state: form.status,
    lines: form.lines.map((line) => ({ ...line })),
    totals: form.totals,
    raisedAt: form.raisedAt,
    expiresAt: form.expiresAt ?? null,
    updatedAt: form.updatedAt,
    redInvoiceNumber: form.redInvoiceNumber ?? null,
  };
}
