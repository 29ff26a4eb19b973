import { Body, Controller, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuthorityErrorCodes,
  AuthorityRaiseRedLetterFormRequestSchema,
  AuthorityRaiseRedLetterFormResponseSchema,
  type AuthorityRaiseRedLetterFormRequest,
} from '@fapiao/contracts';
import { ZodValidationPipe } from '@fapiao/platform/http';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { ERROR_BODY_SCHEMA, openApi } from '../../openapi';
import { RaiseRedLetterFormHandler } from './raise-red-letter-form.handler';

@ApiTags('authority: red-letter forms')
@AuthorityEndpoint()
@Controller('v1/red-letter-forms')
export class RaiseRedLetterFormController {
  constructor(private readonly handler: RaiseRedLetterFormHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Raise a red-letter confirmation form (红字确认单)',
    description:
      'The authority plans the red-letter figures (full, or partial per blue line) against what earlier ' +
      'red-letter invoices left. A seller reversing in full an invoice the buyer has not confirmed or ' +
      'booked needs no confirmation (`confirmation-not-required`); every other form is `raised` and ' +
      'voids itself 72 h later unless the other party confirms it. Idempotent per `serial`.',
  })
  @ApiBody({ schema: openApi(AuthorityRaiseRedLetterFormRequestSchema, 'input') })
  @ApiCreatedResponse({ schema: openApi(AuthorityRaiseRedLetterFormResponseSchema) })
  @ApiOkResponse({
    description: 'The serial was seen before: its form, `duplicate: true`',
    schema: openApi(AuthorityRaiseRedLetterFormResponseSchema),
  })
  @ApiUnprocessableEntityResponse({
    description:
      'SIM.ALREADY_FULLY_REVERSED, SIM.ALREADY_PARTIALLY_REVERSED, SIM.REVERSAL_EXCEEDS_REMAINING, SIM.REVERSAL_INVALID, SIM.REASON_REQUIRES_FULL, SIM.ORIGINAL_NOT_FOUND, …',
    schema: ERROR_BODY_SCHEMA,
  })
  @ApiConflictResponse({
    description: 'SIM.RED_LETTER_FORM_PENDING: another form for the invoice is open',
    schema: ERROR_BODY_SCHEMA,
  })
  async raise(
    @Body(new ZodValidationPipe(AuthorityRaiseRedLetterFormRequestSchema, AuthorityErrorCodes.requestInvalid))
    body: AuthorityRaiseRedLetterFormRequest,
    // Written here because the status depends on the outcome (201 raised, 200 duplicate).
    @Res() response: Response,
  ): Promise<void> {
    const form = await this.handler.execute(body);
    response.status(form.duplicate ? 200 : 201).json(form);
  }
}
