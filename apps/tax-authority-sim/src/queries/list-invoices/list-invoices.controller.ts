import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuthorityErrorCodes,
  AuthorityInvoicePageSchema,
  AuthorityListInvoicesQuerySchema,
  type AuthorityInvoicePage,
  type AuthorityListInvoicesQuery,
} from '@fapiao/contracts';
import { ApiErrors, ApiOkFrom, ApiQueryFrom, requestInvalid, ZodValidationPipe } from '@fapiao/platform/http';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { SimRepository } from '../../infrastructure/sim.repository';
import { toInvoiceSummary } from '../views';

@ApiTags('authority: invoices')
@AuthorityEndpoint()
@Controller('v1/invoices')
export class ListInvoicesController {
  constructor(private readonly repository: SimRepository) {}

  @Get()
  @ApiOperation({ summary: "A seller's invoices, oldest first; `total` counts every match" })
  @ApiQueryFrom(AuthorityListInvoicesQuerySchema)
  @ApiOkFrom(AuthorityInvoicePageSchema)
  @ApiErrors(requestInvalid(AuthorityErrorCodes.requestInvalid))
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
