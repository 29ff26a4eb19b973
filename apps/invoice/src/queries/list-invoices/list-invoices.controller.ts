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
import { INVOICE_STATUSES } from '../../domain/invoice-status';
import { InvoiceRepository } from '../../domain/invoice.repository';
import { InvoicePageSchema, InvoiceSummaryView, type InvoicePage } from '../invoice.view';

const ListInvoicesQuerySchema = z.object({
  orderId: z.uuid().optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
type ListInvoicesQuery = z.infer<typeof ListInvoicesQuerySchema>;

@ApiTags('invoices')
@Controller('v1/invoices')
export class ListInvoicesController {
  constructor(private readonly invoices: InvoiceRepository) {}

  @Get()
  @RequireScopes('invoices:read')
  @ApiOperation({ summary: 'The caller’s invoices, newest first; filter by order or status' })
  @ApiQueryFrom(ListInvoicesQuerySchema)
  @ApiOkFrom(InvoicePageSchema)
  @ApiErrors(requestInvalid())
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListInvoicesQuerySchema)) query: ListInvoicesQuery,
  ): Promise<InvoicePage> {
    const { items, total } = await this.invoices.list(principal.tenantId, query);
    return {
      items: items.map((item) => InvoiceSummaryView.from(item)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
