import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { DataSource, IsNull, Not } from 'typeorm';
import { z } from 'zod';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, ZodValidationPipe, type Principal } from '@fapiao/platform/http';
import { DISCREPANCY_TYPES } from '../../domain/reconciliation';
import { DiscrepancyEntity } from '../../infrastructure/discrepancy.entity';

const ListDiscrepanciesQuerySchema = z.object({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  orderId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
type ListDiscrepanciesQuery = z.infer<typeof ListDiscrepanciesQuerySchema>;

class DiscrepancyView {
  @ApiProperty() id: string;
  @ApiProperty() orderId: string;
  @ApiProperty({ enum: DISCREPANCY_TYPES }) type: string;
  @ApiProperty() detail: string;
  @ApiProperty() detectedAt: string;
  @ApiPropertyOptional({ nullable: true }) resolvedAt: string | null;
}

class DiscrepancyPageView {
  @ApiProperty({ type: [DiscrepancyView] }) items: DiscrepancyView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('v1/reconciliation')
export class ListDiscrepanciesController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('discrepancies')
  @RequireScopes('invoices:read')
  @ApiQuery({ name: 'state', required: false, enum: ['open', 'resolved', 'all'] })
  @ApiQuery({ name: 'orderId', required: false })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  @ApiOkResponse({ type: DiscrepancyPageView })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListDiscrepanciesQuerySchema)) query: ListDiscrepanciesQuery,
  ): Promise<DiscrepancyPageView> {
    const resolvedAt = { open: IsNull(), resolved: Not(IsNull()), all: undefined }[query.state];
    const [items, total] = await this.dataSource.getRepository(DiscrepancyEntity).findAndCount({
      where: {
        tenantId: principal.tenantId,
        ...(query.orderId ? { orderId: query.orderId } : {}),
        ...(resolvedAt ? { resolvedAt } : {}),
      },
      order: { detectedAt: 'DESC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return {
      items: items.map((d) => ({
        id: d.id,
        orderId: d.orderId,
        type: d.type,
        detail: d.detail,
        detectedAt: d.detectedAt.toISOString(),
        resolvedAt: d.resolvedAt?.toISOString() ?? null,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
