import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AUTHORITY_BATCH_MAX_ITEMS,
  AuthorityBatchIssueRequestSchema,
  AuthorityBatchIssueResponseSchema,
  AuthorityErrorCodes,
  type AuthorityBatchIssueResponse,
} from '@fapiao/contracts';
import { ApiBodyFrom, ApiErrors, ApiOkFrom, REQUEST_MALFORMED } from '@fapiao/platform/http';
import { SimErrors } from '../../domain/sim.errors';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { InvoicesPerRequest } from '../../faults/invoices-per-request';
import { IssueInvoiceBatchHandler, invoicesInBatch } from './issue-invoice-batch.handler';

@ApiTags('authority: invoices')
@AuthorityEndpoint()
@Controller('v1/invoices/batch')
export class IssueInvoiceBatchController {
  constructor(private readonly handler: IssueInvoiceBatchHandler) {}

  @Post()
  @HttpCode(200)
  // The rate limit counts the batch's invoices; faults and maintenance strike the request as a whole.
  @InvoicesPerRequest(invoicesInBatch)
  @ApiOperation({
    summary: `Issue up to ${AUTHORITY_BATCH_MAX_ITEMS} blue invoices in one request`,
    description:
      'Each item is answered on its own, in request order, exactly as `POST /v1/invoices` would answer it: ' +
      '`issued`, `duplicate` (a serial issued before, or by an earlier item of the batch: that invoice) or ' +
      '`rejected` (the 422 code, e.g. SIM.REQUEST_INVALID for an item that does not match the schema). ' +
      'What the batch issues is committed in one transaction. A timeout, reset or 5xx leaves every item ' +
      'unknown: resolve each by serial before sending it again.',
  })
  @ApiBodyFrom(AuthorityBatchIssueRequestSchema)
  @ApiOkFrom(AuthorityBatchIssueResponseSchema, 200, 'Every item answered')
  @ApiErrors(
    REQUEST_MALFORMED,
    SimErrors.reject(AuthorityErrorCodes.requestInvalid, 'A batch is { items: [...] }', 'items'),
    SimErrors.reject(
      AuthorityErrorCodes.batchTooLarge,
      `A batch carries at most ${AUTHORITY_BATCH_MAX_ITEMS} invoices`,
      'items',
    ),
  )
  issue(@Body() body: unknown): Promise<AuthorityBatchIssueResponse> {
    return this.handler.execute(body);
  }
}
