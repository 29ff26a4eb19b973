import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiErrors,
  ApiOkFrom,
  CurrentPrincipal,
  REQUEST_MALFORMED,
  type Principal,
} from '@fapiao/platform/http';
import { InvoiceErrors } from '../../domain/invoice.errors';
import { InvoiceRepository } from '../../domain/invoice.repository';
import { ReversalRepository } from '../../domain/reversal.repository';
import { InvoiceView, InvoiceViewSchema } from '../invoice.view';

@ApiTags('invoices')
@Controller('v1/invoices')
export class GetInvoiceController {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly reversals: ReversalRepository,
  ) {}

  @Get(':id')
  @RequireScopes('invoices:read')
  @ApiOperation({ summary: 'An invoice with its lines, history and red-letter reversals' })
  @ApiOkFrom(InvoiceViewSchema)
  @ApiErrors(REQUEST_MALFORMED, InvoiceErrors.notFound('{id}'))
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<InvoiceView> {
    const invoice = await this.invoices.findById(principal.tenantId, id);
    if (!invoice) throw InvoiceErrors.notFound(id);
    const [history, reversals] = await Promise.all([
      this.invoices.history(invoice.id),
      this.reversals.listForInvoice(invoice.id),
    ]);
    return InvoiceView.withDetails(invoice, history, reversals);
  }
}
