import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuthorityErrorCodes,
  AuthorityIssueRequestSchema,
  AuthorityIssueResponseSchema,
  type AuthorityIssueRequest,
} from '@fapiao/contracts';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiOkFrom,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
} from '@fapiao/platform/http';
import { SimErrors } from '../../domain/sim.errors';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { IssueInvoiceHandler } from './issue-invoice.handler';

@ApiTags('authority: invoices')
@AuthorityEndpoint()
@Controller('v1/invoices')
export class IssueInvoiceController {
  constructor(private readonly handler: IssueInvoiceHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Issue a blue or red-letter invoice',
    description:
      'Idempotent per `serial`: a serial seen before is answered 200 with the invoice it produced and ' +
      '`duplicate: true`, never with a second invoice. A red-letter invoice names `originalNumber` and a ' +
      "confirmed (or confirmation-not-required) `redLetterFormId`, and carries exactly the form's totals.",
  })
  @ApiBodyFrom(AuthorityIssueRequestSchema)
  @ApiOkFrom(AuthorityIssueResponseSchema, 201, 'Issued')
  @ApiOkFrom(AuthorityIssueResponseSchema, 200, 'The serial was seen before: its invoice, `duplicate: true`')
  @ApiErrors(
    REQUEST_MALFORMED,
    requestInvalid(AuthorityErrorCodes.requestInvalid),
    SimErrors.reject(AuthorityErrorCodes.totalsMismatch, 'The totals do not add up to the lines', 'totals'),
    SimErrors.reject(
      AuthorityErrorCodes.redLetterFormNotConfirmed,
      'The form is not confirmed',
      'redLetterFormId',
    ),
  )
  async issue(
    @Body(new ZodValidationPipe(AuthorityIssueRequestSchema, AuthorityErrorCodes.requestInvalid))
    body: AuthorityIssueRequest,
    // Written here because the status depends on the outcome (201 issued, 200 duplicate).
    @Res() response: Response,
  ): Promise<void> {
    const invoice = await this.handler.execute(body);
    response.status(invoice.duplicate ? 200 : 201).json(invoice);
  }
}
