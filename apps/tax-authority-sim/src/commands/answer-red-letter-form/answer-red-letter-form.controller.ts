import { applyDecorators, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  AuthorityErrorCodes,
  AuthorityRedLetterFormActionSchema,
  AuthorityRedLetterFormSchema,
  type AuthorityRedLetterForm,
  type AuthorityRedLetterFormAction,
} from '@fapiao/contracts';
import { ZodValidationPipe } from '@fapiao/platform/http';
import { AuthorityEndpoint } from '../../faults/authority-endpoint.decorator';
import { ERROR_BODY_SCHEMA, openApi } from '../../openapi';
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
    ApiBody({ schema: openApi(AuthorityRedLetterFormActionSchema, 'input') }),
    ApiOkResponse({ schema: openApi(AuthorityRedLetterFormSchema) }),
    ApiConflictResponse({
      description: 'SIM.RED_LETTER_INVALID_TRANSITION or SIM.RED_LETTER_EXPIRED',
      schema: ERROR_BODY_SCHEMA,
    }),
  );

@ApiTags('authority: red-letter forms')
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
