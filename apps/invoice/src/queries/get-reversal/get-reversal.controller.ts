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
import { ReversalErrors } from '../../domain/reversal.errors';
import { ReversalRepository } from '../../domain/reversal.repository';
import { ReversalView, ReversalViewSchema } from '../reversal.view';

@ApiTags('invoices')
@Controller('v1/invoices/:id/reversals')
export class GetReversalController {
  constructor(private readonly reversals: ReversalRepository) {}

  @Get(':reversalId')
  @RequireScopes('invoices:read')
  @ApiOperation({ summary: 'A red-letter reversal of an invoice and how far it got' })
  @ApiOkFrom(ReversalViewSchema)
  @ApiErrors(REQUEST_MALFORMED, ReversalErrors.notFound('{reversalId}'))
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) invoiceId: string,
    @Param('reversalId', ParseUUIDPipe) reversalId: string,
  ): Promise<ReversalView> {
    const reversal = await this.reversals.findById(principal.tenantId, reversalId);
    if (!reversal || reversal.invoiceId !== invoiceId) throw ReversalErrors.notFound(reversalId);
    return ReversalView.from(reversal);
  }
}
