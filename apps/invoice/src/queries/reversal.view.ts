import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVERSAL_STATUSES, type ReversalStatus } from '../domain/invoice-status';
import type { ReversalEntity } from '../infrastructure/reversal.entity';

class ReversalTotalsView {
  @ApiProperty({ example: '-943.40' }) net: string;
  @ApiProperty({ example: '-56.60' }) tax: string;
  @ApiProperty({ example: '-1000.00' }) gross: string;
}

class ReversalLineView {
  @ApiProperty() lineNo: number;
  @ApiProperty({ example: '-500.00', description: 'Net amount taken back (negative)' }) amount: string;
  @ApiProperty({ example: '-30.00' }) tax: string;
  @ApiPropertyOptional() quantity?: string;
}

class FormView {
  @ApiProperty({ description: 'Our serial of the confirmation form (红字确认单)' }) serial: string;
  @ApiPropertyOptional({ nullable: true, description: "The authority's form id, once raised" })
  id: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'When an unanswered form voids itself' })
  expiresAt: string | null;
}

class RedInvoiceView {
  @ApiProperty({ description: 'Our serial of the red-letter invoice' }) serial: string;
  @ApiPropertyOptional({ nullable: true }) number: string | null;
  @ApiPropertyOptional({ nullable: true }) issuedAt: string | null;
  @ApiPropertyOptional({ type: ReversalTotalsView, nullable: true }) totals: ReversalTotalsView | null;
  @ApiPropertyOptional({ nullable: true }) fileRef: string | null;
}

export class ReversalView {
  @ApiProperty() id: string;
  @ApiProperty() invoiceId: string;
  @ApiProperty({ enum: REVERSAL_STATUSES }) status: ReversalStatus;
  @ApiProperty({ enum: ['request', 'order-cancelled'] }) cause: string;
  @ApiProperty({ enum: ['full', 'partial'] }) kind: string;
  @ApiProperty({ enum: ['01', '02', '03', '04'] }) reasonCode: string;
  @ApiProperty({ type: [ReversalLineView], description: 'The planned red-letter lines' })
  lines: ReversalLineView[];
  @ApiProperty({ type: ReversalTotalsView, description: 'The planned (negative) totals' })
  plannedTotals: ReversalTotalsView;
  @ApiProperty({ type: FormView }) form: FormView;
  @ApiProperty({ type: RedInvoiceView }) red: RedInvoiceView;
  @ApiPropertyOptional({ nullable: true, description: 'Why it was refused: { code, message }' })
  error: { code: string; message: string } | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static from(reversal: ReversalEntity): ReversalView {
    return {
      id: reversal.id,
      invoiceId: reversal.invoiceId,
      status: reversal.status,
      cause: reversal.cause,
      kind: reversal.kind,
      reasonCode: reversal.reasonCode,
      lines: JSON.parse(reversal.lines) as ReversalLineView[],
      plannedTotals: { net: reversal.plannedNet, tax: reversal.plannedTax, gross: reversal.plannedGross },
      form: {
        serial: reversal.formSerial,
        id: reversal.formId,
        expiresAt: reversal.formExpiresAt?.toISOString() ?? null,
      },
      red: {
        serial: reversal.redSerial,
        number: reversal.redNumber,
        issuedAt: reversal.redIssuedAt?.toISOString() ?? null,
        totals:
          reversal.redGross === null
            ? null
            : { net: reversal.redNet ?? '0.00', tax: reversal.redTax ?? '0.00', gross: reversal.redGross },
        fileRef: reversal.redFileRef,
      },
      error: reversal.error ? (JSON.parse(reversal.error) as { code: string; message: string }) : null,
      createdAt: reversal.createdAt.toISOString(),
      updatedAt: reversal.updatedAt.toISOString(),
    };
  }
}
