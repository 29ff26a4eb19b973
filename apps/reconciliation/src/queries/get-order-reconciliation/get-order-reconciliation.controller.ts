import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DomainError } from '@fapiao/contracts';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, type Principal } from '@fapiao/platform/http';
import { RECON_STATUSES, type ReconStatus } from '../../domain/reconciliation';
import { AuthorityRecordEntity } from '../../infrastructure/authority-record.entity';
import { ReconOrderEntity } from '../../infrastructure/recon-order.entity';

class OrderReconciliationView {
  @ApiProperty() orderId: string;
  @ApiProperty({ enum: RECON_STATUSES }) status: ReconStatus;
  @ApiPropertyOptional({ nullable: true }) expectedGross: string | null;
  @ApiPropertyOptional({ nullable: true }) invoiceId: string | null;
  @ApiPropertyOptional({ nullable: true }) invoiceGross: string | null;
  @ApiPropertyOptional({ nullable: true }) authorityGross: string | null;
  @ApiPropertyOptional({ nullable: true }) authorityNumber: string | null;
  @ApiPropertyOptional({ nullable: true }) matchedAt: string | null;
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
    return {
      orderId: order.orderId,
      status: order.status,
      expectedGross: order.expectedGross,
      invoiceId: order.invoiceId,
      invoiceGross: order.invoiceGross,
      authorityGross: authority?.totalGross ?? null,
      authorityNumber: authority?.number ?? null,
      matchedAt: order.matchedAt?.toISOString() ?? null,
    };
  }
}
