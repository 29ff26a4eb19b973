import { Body, Controller, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuthorityErrorCodes,
  AuthorityIssueRequestSchema,
  AuthorityIssueResponseSchema,
  type AuthorityIssueRequest,
} from '@fapiao/contracts';
import { ZodValidationPipe } from '@fapiao/platform/http';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { ERROR_BODY_SCHEMA, openApi } from '../../openapi';
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
  @ApiBody({ schema: openApi(AuthorityIssueRequestSchema, 'input') })
  @ApiCreatedResponse({ description: 'Issued', schema: openApi(AuthorityIssueResponseSchema) })
  @ApiOkResponse({
    description: 'The serial was seen before: its invoice, `duplicate: true`',
    schema: openApi(AuthorityIssueResponseSchema),
  })
  @ApiUnprocessableEntityResponse({
    description: 'Definite rejection: `SIM.*` code and field',
    schema: ERROR_BODY_SCHEMA,
  })
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
