import { applyDecorators, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AuthorityErrorCodes,
  DomainError,
  AuthorityRedLetterFormActionSchema,
  AuthorityRedLetterFormSchema,
  type AuthorityRedLetterForm,
  type AuthorityRedLetterFormAction,
} from '@fapiao/contracts';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiOkFrom,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
} from '@fapiao/platform/http';
import { SimControl } from '../../control/admin-token.guard';
import { SimErrors } from '../../domain/sim.errors';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { AnswerRedLetterFormHandler } from './answer-red-letter-form.handler';

const actionBody = new ZodValidationPipe(
  AuthorityRedLetterFormActionSchema,
  AuthorityErrorCodes.requestInvalid,
);

/** The documentation every answer shares: who acts is in the body, the form comes back. */
const FormAnswer = (path: string, summary: string) =>
  applyDecorators(
    Post(path),
    HttpCode(200),
    ApiOperation({ summary }),
    ApiParam({ name: 'id' }),
    ApiBodyFrom(AuthorityRedLetterFormActionSchema, { example: { by: 'buyer' } }),
    ApiOkFrom(AuthorityRedLetterFormSchema),
    ApiErrors(
      REQUEST_MALFORMED,
      requestInvalid(AuthorityErrorCodes.requestInvalid),
      SimErrors.reject(AuthorityErrorCodes.redLetterNotCounterparty, 'Only the other party answers', 'by'),
      SimErrors.reject(AuthorityErrorCodes.redLetterNotInitiator, 'Only the initiator revokes', 'by'),
      SimErrors.formNotFound('{id}'),
      new DomainError(
        'conflict',
        AuthorityErrorCodes.redLetterInvalidTransition,
        'The form is confirmed',
        'state',
      ),
      SimErrors.formExpired('{id}', '2026-06-30T08:00:00.000Z'),
    ),
  );

// The other party's answers (the buyer's side of the platform), played by tests: control, admin token.
@ApiTags('authority: red-letter forms')
@SimControl()
@AuthorityEndpoint()
@Controller('v1/red-letter-forms/:id')
export class AnswerRedLetterFormController {
  constructor(private readonly handler: AnswerRedLetterFormHandler) {}

  @FormAnswer('confirm', 'The other party confirms a raised form (within 72 h)')
  confirm(
    @Param('id') id: string,
    @Body(actionBody) body: AuthorityRedLetterFormAction,
  ): Promise<AuthorityRedLetterForm> {
    return this.handler.execute(id, 'confirm', body.by);
  }

  @FormAnswer('decline', 'The other party declines a raised form (within 72 h)')
  decline(
    @Param('id') id: string,
    @Body(actionBody) body: AuthorityRedLetterFormAction,
  ): Promise<AuthorityRedLetterForm> {
    return this.handler.execute(id, 'decline', body.by);
  }

  @FormAnswer('revoke', 'The initiator revokes a form not yet used for a red-letter invoice')
  revoke(
    @Param('id') id: string,
    @Body(actionBody) body: AuthorityRedLetterFormAction,
  ): Promise<AuthorityRedLetterForm> {
    return this.handler.execute(id, 'revoke', body.by);
  }
}
