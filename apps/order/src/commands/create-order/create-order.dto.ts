import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class PartyBody {
  @ApiProperty({ example: '深圳市腾讯计算机系统有限公司' }) name: string;
  @ApiPropertyOptional({ example: '91440300708461136T', description: 'Required for special VAT invoices' })
  taxId?: string;
}

class LineBody {
  @ApiProperty({ example: '*信息技术服务*软件开发服务' }) name: string;
  @ApiProperty({ example: '3040201010000000000', description: '19-digit tax classification code' })
  taxCode: string;
  @ApiProperty({ example: '1' }) quantity: string;
  @ApiProperty({ example: '1000.00' }) unitPrice: string;
  @ApiProperty({ example: '0.06', description: 'Decimal fraction, or "exempt"' }) taxRate: string;
  @ApiProperty({ example: true }) priceIncludesTax: boolean;
  @ApiPropertyOptional() unit?: string;
  @ApiPropertyOptional() specification?: string;
}

/** OpenAPI shape of CreateOrderRequestSchema (libs/contracts/src/http.ts), which validates. */
export class CreateOrderBody {
  @ApiProperty({ example: 'ERP-2026-000123' }) externalId: string;
  @ApiProperty({ enum: ['normal', 'special'] }) invoiceType: string;
  @ApiProperty({ type: PartyBody }) buyer: PartyBody;
  @ApiProperty({ type: [LineBody] }) lines: LineBody[];
}
