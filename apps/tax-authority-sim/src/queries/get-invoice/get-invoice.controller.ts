import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthorityInvoiceSchema, type AuthorityInvoice } from '@fapiao/contracts';
import { SimErrors } from '../../domain/sim.errors';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { SimRepository } from '../../infrastructure/sim.repository';
import { ApiErrors, ApiOkFrom } from '@fapiao/platform/http';
import { toInvoice } from '../views';

@ApiTags('authority: invoices')
@AuthorityEndpoint()
@Controller('v1/invoices')
export class GetInvoiceController {
  constructor(private readonly repository: SimRepository) {}

  @Get('by-serial/:serial')
  @ApiOperation({
    summary: 'The invoice issued for a serial',
    description: 'How a submitter resolves an unknown outcome (timeout, 5xx, reset) before submitting again.',
  })
  @ApiOkFrom(AuthorityInvoiceSchema)
  @ApiErrors(SimErrors.invoiceNotFound('for serial {serial}'))
  async bySerial(@Param('serial') serial: string): Promise<AuthorityInvoice> {
    const invoice = await this.repository.invoiceBySerial(serial);
    if (!invoice) throw SimErrors.invoiceNotFound(`for serial ${serial}`);
    return toInvoice(invoice);
  }

  @Get(':number')
  @ApiOperation({ summary: 'An invoice by its 20-digit number' })
  @ApiOkFrom(AuthorityInvoiceSchema)
  @ApiErrors(SimErrors.invoiceNotFound('{number}'))
  async byNumber(@Param('number') number: string): Promise<AuthorityInvoice> {
    const invoice = await this.repository.invoiceByNumber(number);
    if (!invoice) throw SimErrors.invoiceNotFound(number);
    return toInvoice(invoice);
  }
}
