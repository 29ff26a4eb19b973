import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ReverseInvoiceRequestSchema, type ReverseInvoiceRequest } from '@fapiao/contracts';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, ZodValidationPipe, type Principal } from '@fapiao/platform/http';
import { ReversalErrors } from '../../domain/reversal.errors';
import { ReversalView } from '../../queries/reversal.view';
import { ReverseInvoiceBody } from './reverse-invoice.dto';
import { ReverseInvoiceHandler } from './reverse-invoice.handler';

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices')
export class ReverseInvoiceController {
  constructor(private readonly handler: ReverseInvoiceHandler) {}

  @Post(':id/reverse')
  @HttpCode(202)
  @RequireScopes('invoices:reverse')
  @ApiOperation({
    summary: 'Reverse an issued invoice with a red-letter invoice (红冲), in full or in part',
    description:
      'Plans the red-letter invoice and starts the red-letter saga: a confirmation form (红字确认单) at the ' +
      'authority — confirmed by the buyer where the authority requires it — then a negative invoice that ' +
      'references this one. Follow it with GET /v1/invoices/:id/reversals/:reversalId.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key + same request answers the same reversal (Idempotent-Replayed: true)',
  })
  @ApiBody({ type: ReverseInvoiceBody })
  @ApiAcceptedResponse({ type: ReversalView })
  @ApiConflictResponse({
    description:
      'REVERSAL.ALREADY_FULLY_REVERSED, REVERSAL.ALREADY_PARTIALLY_REVERSED (a full reversal after a partial one), REVERSAL.IN_PROGRESS, REVERSAL.INVOICE_NOT_ISSUED',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'REVERSAL.EXCEEDS_REMAINING, REVERSAL.UNKNOWN_LINE, REVERSAL.DUPLICATE_LINE, REVERSAL.AMOUNT_NOT_POSITIVE, REVERSAL.REASON_REQUIRES_FULL, REQUEST.*',
  })
  async reverse(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body(new ZodValidationPipe(ReverseInvoiceRequestSchema)) body: ReverseInvoiceRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReversalView> {
    const key = idempotencyKey?.trim();
    if (idempotencyKey !== undefined && (!key || key.length > 200))
      throw ReversalErrors.idempotencyKeyInvalid();
    const { reversal, replayed } = await this.handler.execute({
      tenantId: principal.tenantId,
      invoiceId: id,
      idempotencyKey: key,
      request: body,
    });
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return reversal;
  }
}
