import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, ZodValidationPipe, type Principal } from '@fapiao/platform/http';
import { INVOICE_STATUSES } from '../../domain/invoice-status';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';
import { InvoiceSummaryView } from '../invoice.view';

const ListInvoicesQuerySchema = z.object({
  orderId: z.uuid().optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
type ListInvoicesQuery = z.infer<typeof ListInvoicesQuerySchema>;

class InvoicePageView {
  @ApiProperty({ type: [InvoiceSummaryView] }) items: InvoiceSummaryView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices')
export class ListInvoicesController {
  constructor(private readonly invoices: InvoiceRepository) {}

  @Get()
  @RequireScopes('invoices:read')
  @ApiQuery({ name: 'orderId', required: false })
  @ApiQuery({ name: 'status', required: false, enum: INVOICE_STATUSES })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  @ApiOkResponse({ type: InvoicePageView })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListInvoicesQuerySchema)) query: ListInvoicesQuery,
  ): Promise<InvoicePageView> {
    const { items, total } = await this.invoices.list(principal.tenantId, query);
    return {
      items: items.map((item) => InvoiceSummaryView.from(item)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
