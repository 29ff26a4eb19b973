import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiErrors,
  ApiOkFrom,
  ApiQueryFrom,
  CurrentPrincipal,
  requestInvalid,
  ZodValidationPipe,
  type Principal,
} from '@fapiao/platform/http';
import { ReconciliationRepository } from '../../domain/reconciliation.repository';
import { DiscrepancyPageSchema, type DiscrepancyPage } from '../discrepancy.view';

const ListDiscrepanciesQuerySchema = z.object({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  orderId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
type ListDiscrepanciesQuery = z.infer<typeof ListDiscrepanciesQuerySchema>;

@ApiTags('reconciliation')
@Controller('v1/reconciliation')
export class ListDiscrepanciesController {
  constructor(private readonly records: ReconciliationRepository) {}

  @Get('discrepancies')
  @RequireScopes('invoices:read')
  @ApiOperation({ summary: 'Discrepancies found between orders, invoices and the authority, newest first' })
  @ApiQueryFrom(ListDiscrepanciesQuerySchema)
  @ApiOkFrom(DiscrepancyPageSchema)
  @ApiErrors(requestInvalid())
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListDiscrepanciesQuerySchema)) query: ListDiscrepanciesQuery,
  ): Promise<DiscrepancyPage> {
    const { items, total } = await this.records.listDiscrepancies(principal.tenantId, query);
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
