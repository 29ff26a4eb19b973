import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ReverseLineBody {
  @ApiProperty({ example: 1, description: 'The blue line to take back from' }) lineNo: number;
  @ApiProperty({ example: '500.00', description: 'Positive net amount to take back' }) amount: string;
  @ApiPropertyOptional({ example: '1', description: 'Positive quantity returned' }) quantity?: string;
}

/** OpenAPI shape of ReverseInvoiceRequestSchema (libs/contracts/src/http.ts), which validates. */
export class ReverseInvoiceBody {
  @ApiProperty({
    enum: ['01', '02', '03', '04'],
    description:
      '01 开票有误 issued in error (full reversal only), 02 销货退回 returned, 03 服务中止 discontinued, 04 销售折让 allowance',
  })
  reasonCode: string;
  @ApiPropertyOptional({
    type: [ReverseLineBody],
    description: 'Omit to reverse the whole invoice; otherwise the lines to reverse in part',
  })
  lines?: ReverseLineBody[];
}
