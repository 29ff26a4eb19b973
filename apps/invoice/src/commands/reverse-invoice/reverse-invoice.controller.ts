import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, ReverseInvoiceRequestSchema, type ReverseInvoiceRequest } from '@fapiao/contracts';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiIdempotencyKey,
  ApiOkFrom,
  CurrentPrincipal,
  IdempotencyKey,
  markReplayed,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
  type Principal,
} from '@fapiao/platform/http';
import { InvoiceErrors } from '../../domain/invoice.errors';
import { ReversalErrors } from '../../domain/reversal.errors';
import { ReversalViewSchema, type ReversalView } from '../../queries/reversal.view';
import { ReverseInvoiceHandler } from './reverse-invoice.handler';

/** Refusals of the reversal plan (reversal-plan.ts, from the domain library's codes). */
const planRefusal = (kind: 'conflict' | 'validation', code: string, message: string, field: string) =>
  new DomainError(kind, code, message, field);

@ApiTags('invoices')
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
  @ApiIdempotencyKey(false, 'Same key + same request answers the same reversal (Idempotent-Replayed: true)')
  @ApiBodyFrom(ReverseInvoiceRequestSchema, {
    example: { reasonCode: '02', lines: [{ lineNo: 1, amount: '500.00', quantity: '1' }] },
  })
  @ApiOkFrom(ReversalViewSchema, 202)
  @ApiErrors(
    REQUEST_MALFORMED,
    requestInvalid(),
    ReversalErrors.idempotencyKeyInvalid(),
    ReversalErrors.idempotencyKeyReused(),
    planRefusal(
      'validation',
      'REVERSAL.EXCEEDS_REMAINING',
      'Line 1 has 200.00 left to reverse',
      'lines[0].amount',
    ),
    planRefusal('validation', 'REVERSAL.UNKNOWN_LINE', 'The invoice has no line 9', 'lines[0].lineNo'),
    planRefusal('validation', 'REVERSAL.DUPLICATE_LINE', 'Line 1 is named twice', 'lines[1].lineNo'),
    planRefusal(
      'validation',
      'REVERSAL.AMOUNT_NOT_POSITIVE',
      'The amount must be positive',
      'lines[0].amount',
    ),
    planRefusal(
      'validation',
      'REVERSAL.REASON_REQUIRES_FULL',
      'Reason 01 reverses the whole invoice',
      'reasonCode',
    ),
    InvoiceErrors.notFound('{id}'),
    ReversalErrors.invoiceNotIssued('SUBMITTED'),
    ReversalErrors.inProgress('{reversalId}'),
    planRefusal('conflict', 'REVERSAL.ALREADY_FULLY_REVERSED', 'The invoice is already fully reversed', 'id'),
    planRefusal(
      'conflict',
      'REVERSAL.ALREADY_PARTIALLY_REVERSED',
      'A full reversal after a partial one: reverse what remains line by line',
      'id',
    ),
    ReversalErrors.concurrentUpdate('{reversalId}'),
  )
  async reverse(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @IdempotencyKey({ required: false, invalid: ReversalErrors.idempotencyKeyInvalid })
    key: string | undefined,
    @Body(new ZodValidationPipe(ReverseInvoiceRequestSchema)) body: ReverseInvoiceRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReversalView> {
    const { reversal, replayed } = await this.handler.execute({
      tenantId: principal.tenantId,
      invoiceId: id,
      idempotencyKey: key,
      request: body,
    });
    if (replayed) markReplayed(response);
    return reversal;
  }
}
