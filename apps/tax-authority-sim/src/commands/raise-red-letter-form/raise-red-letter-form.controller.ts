import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuthorityErrorCodes,
  AuthorityRaiseRedLetterFormRequestSchema,
  AuthorityRaiseRedLetterFormResponseSchema,
  type AuthorityRaiseRedLetterFormRequest,
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
  @ApiBodyFrom(AuthorityRaiseRedLetterFormRequestSchema)
  @ApiOkFrom(AuthorityRaiseRedLetterFormResponseSchema, 201, 'Raised')
  @ApiOkFrom(
    AuthorityRaiseRedLetterFormResponseSchema,
    200,
    'The serial was seen before: its form, `duplicate: true`',
  )
  @ApiErrors(
    REQUEST_MALFORMED,
    requestInvalid(AuthorityErrorCodes.requestInvalid),
    ...[
      AuthorityErrorCodes.alreadyFullyReversed,
      AuthorityErrorCodes.alreadyPartiallyReversed,
      AuthorityErrorCodes.reversalExceedsRemaining,
      AuthorityErrorCodes.reversalInvalid,
      AuthorityErrorCodes.reasonRequiresFull,
      AuthorityErrorCodes.originalNotFound,
    ].map((code) => SimErrors.reject(code, 'The authority refuses the form', 'blueNumber')),
    SimErrors.formPending('{blueNumber}', '{formId}'),
  )
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
