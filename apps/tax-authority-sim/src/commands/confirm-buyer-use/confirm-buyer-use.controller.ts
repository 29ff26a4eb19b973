import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthorityErrorCodes, AuthorityInvoiceSchema, type AuthorityInvoice } from '@fapiao/contracts';
import { SimControl } from '../../control/admin-token.guard';
import { SimErrors } from '../../domain/sim.errors';
import { SimRepository } from '../../infrastructure/sim.repository';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { Clock } from '../../domain/clock';
import { ApiErrors, ApiOkFrom } from '@fapiao/platform/http';
import { toInvoice } from '../../queries/views';

/**
 * The buyer confirms a blue invoice's use or books it (用途确认/入账确认) — on its own side of the platform.
 * From then on the seller cannot reverse it in full without the buyer confirming the red-letter form.
 */
@ApiTags('authority: invoices')
@SimControl()
@AuthorityEndpoint()
@Controller('v1/invoices/:number/buyer-confirmation')
export class ConfirmBuyerUseController {
  constructor(
    private readonly repository: SimRepository,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: "Record the buyer's use confirmation or booking of a blue invoice (idempotent)" })
  @ApiOkFrom(AuthorityInvoiceSchema)
  @ApiErrors(
    SimErrors.invoiceNotFound('{number}'),
    SimErrors.reject(AuthorityErrorCodes.originalNotBlue, '{number} is a red-letter invoice', 'number'),
  )
  confirm(@Param('number') number: string): Promise<AuthorityInvoice> {
    return this.repository.transaction(async (tx) => {
      const invoice = await tx.lockInvoice(number);
      if (!invoice) throw SimErrors.invoiceNotFound(number);
      if (invoice.kind !== 'blue') {
        throw SimErrors.reject(
          AuthorityErrorCodes.originalNotBlue,
          `${number} is a red-letter invoice`,
          'number',
        );
      }
      if (!invoice.buyerConfirmedAt) {
        invoice.buyerConfirmedAt = this.clock.now();
        await tx.saveInvoice(invoice);
      }
      return toInvoice(invoice);
    });
  }
}
