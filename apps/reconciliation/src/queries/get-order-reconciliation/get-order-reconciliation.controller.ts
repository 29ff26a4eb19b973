import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DomainError } from '@fapiao/contracts';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, type Principal } from '@fapiao/platform/http';
import { netTotals, RECON_STATUSES, type ReconStatus } from '../../domain/reconciliation';
import { AuthorityRecordEntity } from '../../infrastructure/authority-record.entity';
import { ReconOrderEntity } from '../../infrastructure/recon-order.entity';
import { ReconReversalEntity } from '../../infrastructure/reversal.entity';

class ReversalReconciliationView {
  @ApiProperty() reversalId: string;
  @ApiPropertyOptional({ nullable: true, example: '-300.00', description: 'Negative; from InvoiceReversed' })
  invoiceGross: string | null;
  @ApiPropertyOptional({
    nullable: true,
    example: '-300.00',
    description: 'Negative; from the authority (InvoiceReversedByAuthority)',
  })
  authorityGross: string | null;
  @ApiPropertyOptional({ nullable: true, description: "The red-letter invoice's 20-digit number" })
  authorityNumber: string | null;
}

class OrderReconciliationView {
  @ApiProperty() orderId: string;
  @ApiProperty({ enum: RECON_STATUSES }) status: ReconStatus;
  @ApiPropertyOptional({ nullable: true }) expectedGross: string | null;
  @ApiPropertyOptional({ nullable: true }) invoiceId: string | null;
  @ApiPropertyOptional({ nullable: true }) invoiceGross: string | null;
  @ApiPropertyOptional({ nullable: true }) authorityGross: string | null;
  @ApiPropertyOptional({ nullable: true }) authorityNumber: string | null;
  @ApiProperty({
    example: '-300.00',
    description: 'Σ red-letter totals reported by invoice (negative, or "0.00")',
  })
  reversedGross: string;
  @ApiPropertyOptional({
    nullable: true,
    example: '700.00',
    description: 'What remains invoiced: invoice gross + reversedGross',
  })
  netGross: string | null;
  @ApiPropertyOptional({
    nullable: true,
    example: '700.00',
    description: "The authority's blue gross + its red-letter totals",
  })
  authorityNetGross: string | null;
  @ApiPropertyOptional({ nullable: true }) matchedAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    description: 'When the order was cancelled; its invoice must then be reversed to 0',
  })
  cancelledAt: string | null;
  @ApiProperty({ type: [ReversalReconciliationView] }) reversals: ReversalReconciliationView[];
}

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('v1/reconciliation/orders')
export class GetOrderReconciliationController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get(':orderId')
  @RequireScopes('invoices:read')
  @ApiOkResponse({ type: OrderReconciliationView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('orderId', ParseUUIDPipe) orderId: string,
  ): Promise<OrderReconciliationView> {
    const order = await this.dataSource
      .getRepository(ReconOrderEntity)
      .findOneBy({ tenantId: principal.tenantId, orderId });
    if (!order)
      throw new DomainError(
        'not_found',
        'RECON.ORDER_NOT_FOUND',
        `No facts recorded for order ${orderId}`,
        'orderId',
      );
    const authority = order.invoiceId
      ? await this.dataSource.getRepository(AuthorityRecordEntity).findOneBy({ invoiceId: order.invoiceId })
      : null;
    const reversals = order.invoiceId
      ? await this.dataSource
          .getRepository(ReconReversalEntity)
          .find({ where: { invoiceId: order.invoiceId }, order: { reversalId: 'ASC' } })
      : [];
    const net = netTotals({
      status: order.status,
      expectedGross: order.expectedGross,
      invoiceGross: order.invoiceGross,
      authorityGross: authority?.totalGross ?? null,
      reversals,
    });
    return {
      orderId: order.orderId,
      status: order.status,
      expectedGross: order.expectedGross,
      invoiceId: order.invoiceId,
      invoiceGross: order.invoiceGross,
      authorityGross: authority?.totalGross ?? null,
      authorityNumber: authority?.number ?? null,
      reversedGross: net.reversedGross,
      netGross: net.netGross,
      authorityNetGross: net.authorityNetGross,
      matchedAt: order.matchedAt?.toISOString() ?? null,
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      reversals: reversals.map((r) => ({
        reversalId: r.reversalId,
        invoiceGross: r.invoiceGross,
        authorityGross: r.authorityGross,
        authorityNumber: r.authorityNumber,
      })),
    };
  }
}
