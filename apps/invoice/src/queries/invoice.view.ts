import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INVOICE_STATUSES, type InvoiceStatus } from '../domain/invoice-status';
import type { InvoiceEventEntity } from '../infrastructure/invoice-event.entity';
import type { InvoiceEntity } from '../infrastructure/invoice.entity';
import type { ReversalEntity } from '../infrastructure/reversal.entity';
import { ReversalView } from './reversal.view';

class TotalsView {
  @ApiProperty({ example: '943.40' }) net: string;
  @ApiProperty({ example: '56.60' }) tax: string;
  @ApiProperty({ example: '1000.00' }) gross: string;
}

class LineView {
  @ApiProperty() lineNo: number;
  @ApiProperty() name: string;
  @ApiProperty() taxCode: string;
  @ApiProperty() quantity: string;
  @ApiProperty() unitPrice: string;
  @ApiProperty() taxRate: string;
  @ApiProperty() priceIncludesTax: boolean;
  @ApiProperty() net: string;
  @ApiProperty() tax: string;
  @ApiProperty() gross: string;
}

class HistoryView {
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty() note: string;
  @ApiProperty() at: string;
}

export class InvoiceSummaryView {
  @ApiProperty() id: string;
  @ApiProperty() orderId: string;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty({ enum: ['normal', 'special'] }) invoiceType: string;
  @ApiPropertyOptional({ nullable: true, description: "The authority's 20-digit number once issued" })
  number: string | null;
  @ApiProperty() serial: string;
  @ApiPropertyOptional({ type: TotalsView, nullable: true }) totals: TotalsView | null;
  @ApiPropertyOptional({ nullable: true, description: '价税合计（大写）' }) uppercaseGross: string | null;
  @ApiPropertyOptional({ nullable: true }) issuedAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Field-level reasons of a rejection' }) errors: unknown;

  static from(invoice: InvoiceEntity): InvoiceSummaryView {
    return {
      id: invoice.id,
      orderId: invoice.orderId,
      status: invoice.status,
      invoiceType: invoice.invoiceType,
      number: invoice.number,
      serial: invoice.serial,
      totals:
        invoice.totalGross === null
          ? null
          : { net: invoice.totalNet ?? '0.00', tax: invoice.totalTax ?? '0.00', gross: invoice.totalGross },
      uppercaseGross: invoice.uppercaseGross,
      issuedAt: invoice.issuedAt?.toISOString() ?? null,
      errors: invoice.errors ? JSON.parse(invoice.errors) : null,
    };
  }
}

export class InvoiceView extends InvoiceSummaryView {
  @ApiProperty() sellerTaxId: string;
  @ApiProperty({ description: 'Buyer as invoiced (personal data: never logged or traced)' })
  buyer: { name: string; taxId: string | null };
  @ApiPropertyOptional({ nullable: true }) fileRef: string | null;
  @ApiProperty({ type: [LineView] }) lines: LineView[];
  @ApiProperty({ type: [HistoryView] }) history: HistoryView[];
  @ApiProperty({ type: [ReversalView], description: 'Red-letter reversals, oldest first' })
  reversals: ReversalView[];

  static withDetails(
    invoice: InvoiceEntity,
    history: InvoiceEventEntity[],
    reversals: ReversalEntity[],
  ): InvoiceView {
    return {
      ...InvoiceSummaryView.from(invoice),
      sellerTaxId: invoice.sellerTaxId,
      buyer: { name: invoice.buyerName, taxId: invoice.buyerTaxId },
      fileRef: invoice.fileRef,
      lines: (invoice.lines ?? []).map(({ invoice: _invoice, invoiceId: _id, ...line }) => line),
      history: history.map((event) => ({
        status: event.status,
        note: event.note,
        at: event.at.toISOString(),
      })),
      reversals: reversals.map((reversal) => ReversalView.from(reversal)),
    };
  }
}
