import { Invoice, type FieldError, type InvoiceState } from '../domain/invoice';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceEntity } from './invoice.entity';

/** Between the Invoice aggregate and its rows (invoices, invoice_lines). */
export const InvoiceMapper = {
  toDomain(row: InvoiceEntity, lines: readonly InvoiceLineEntity[]): Invoice {
    return Invoice.restore({
      id: row.id,
      tenantId: row.tenantId,
      orderId: row.orderId,
      status: row.status,
      invoiceType: row.invoiceType,
      sellerTaxId: row.sellerTaxId,
      buyer: { name: row.buyerName, taxId: row.buyerTaxId },
      lines: lines.map(({ invoice: _invoice, invoiceId: _invoiceId, ...line }) => line),
      totals:
        row.totalGross === null
          ? null
          : { net: row.totalNet ?? '0.00', tax: row.totalTax ?? '0.00', gross: row.totalGross },
      uppercaseGross: row.uppercaseGross,
      serial: row.serial,
      number: row.number,
      issuedAt: row.issuedAt,
      fileRef: row.fileRef,
      errors: row.errors === null ? null : (JSON.parse(row.errors) as FieldError[]),
      cancelReason: row.cancelReasonCode,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      version: row.version,
    });
  },

  /** The columns an invoice's changes write (everything but identity and creation). */
  toChange(state: Readonly<InvoiceState>): Partial<InvoiceEntity> {
    return {
      status: state.status,
      number: state.number,
      issuedAt: state.issuedAt,
      fileRef: state.fileRef,
      errors: state.errors === null ? null : JSON.stringify(state.errors),
      cancelReasonCode: state.cancelReason,
      updatedAt: state.updatedAt,
    };
  },

  toRow(state: Readonly<InvoiceState>): InvoiceEntity {
    return Object.assign(new InvoiceEntity(), {
      ...InvoiceMapper.toChange(state),
      id: state.id,
      tenantId: state.tenantId,
      orderId: state.orderId,
      invoiceType: state.invoiceType,
      sellerTaxId: state.sellerTaxId,
      buyerName: state.buyer.name,
      buyerTaxId: state.buyer.taxId,
      totalNet: state.totals?.net ?? null,
      totalTax: state.totals?.tax ?? null,
      totalGross: state.totals?.gross ?? null,
      uppercaseGross: state.uppercaseGross,
      serial: state.serial,
      createdAt: state.createdAt,
      version: state.version,
    });
  },

  toLineRows(state: Readonly<InvoiceState>): InvoiceLineEntity[] {
    return state.lines.map((line) =>
      Object.assign(new InvoiceLineEntity(), { ...line, invoiceId: state.id }),
    );
  },
};
