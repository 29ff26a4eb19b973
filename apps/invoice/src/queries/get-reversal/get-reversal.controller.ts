import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, type Principal } from '@fapiao/platform/http';
import { ReversalErrors } from '../../domain/reversal.errors';
import { ReversalRepository } from '../../infrastructure/reversal.repository';
import { ReversalView } from '../reversal.view';

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices/:id/reversals')
export class GetReversalController {
  constructor(private readonly reversals: ReversalRepository) {}

  @Get(':reversalId')
  @RequireScopes('invoices:read')
  @ApiOkResponse({ type: ReversalView })
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
