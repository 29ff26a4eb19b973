import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  AuthorityErrorCodes,
  AuthorityInvoicePageSchema,
  AuthorityListInvoicesQuerySchema,
  type AuthorityInvoicePage,
  type AuthorityListInvoicesQuery,
} from '@fapiao/contracts';
import { ZodValidationPipe } from '@fapiao/platform/http';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { SimRepository } from '../../infrastructure/sim.repository';
import { openApi } from '../../openapi';
import { toInvoiceSummary } from '../views';

@ApiTags('authority: invoices')
@AuthorityEndpoint()
@Controller('v1/invoices')
export class ListInvoicesController {
  constructor(private readonly repository: SimRepository) {}

  @Get()
  @ApiOperation({ summary: "A seller's invoices, oldest first; `total` counts every match" })
  @ApiQuery({ name: 'sellerTaxId', required: true })
  @ApiQuery({ name: 'kind', required: false, enum: ['blue', 'red'] })
  @ApiQuery({ name: 'from', required: false, description: 'issued at or after (ISO 8601)' })
  @ApiQuery({ name: 'to', required: false, description: 'issued before (ISO 8601)' })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number, description: '1–200, default 50' })
  @ApiOkResponse({ schema: openApi(AuthorityInvoicePageSchema) })
  async list(
    @Query(new ZodValidationPipe(AuthorityListInvoicesQuerySchema, AuthorityErrorCodes.requestInvalid))
    query: AuthorityListInvoicesQuery,
  ): Promise<AuthorityInvoicePage> {
    const { items, total } = await this.repository.listInvoices({
      sellerTaxId: query.sellerTaxId,
      kind: query.kind,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      page: query.page,
      pageSize: query.pageSize,
    });
    return { items: items.map(toInvoiceSummary), total, page: query.page, pageSize: query.pageSize };
  }
}
