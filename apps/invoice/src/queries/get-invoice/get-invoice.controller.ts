import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, type Principal } from '@fapiao/platform/http';
import { InvoiceErrors } from '../../domain/invoice.errors';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';
import { ReversalRepository } from '../../infrastructure/reversal.repository';
import { InvoiceView } from '../invoice.view';

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices')
export class GetInvoiceController {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly reversals: ReversalRepository,
  ) {}

  @Get(':id')
  @RequireScopes('invoices:read')
  @ApiOkResponse({ type: InvoiceView })
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
