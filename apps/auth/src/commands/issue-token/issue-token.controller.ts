import {
  Body,
  Catch,
  Controller,
  Headers,
  HttpCode,
  Post,
  Req,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  answeredWith,
  ApiBodyFrom,
  ApiErrors,
  ApiOkFrom,
  Public,
  REQUEST_MALFORMED,
  toErrorResponse,
  ZodValidationPipe,
} from '@fapiao/platform/http';
import { OAuthErrors, RetryLaterError } from '../../domain/auth.errors';
import { parseBasicCredentials } from './basic-credentials';
import {
  IssueTokenRequest,
  IssueTokenRequestSchema,
  TokenResponse,
  TokenViewSchema,
} from './issue-token.dto';
import { IssueTokenHandler } from './issue-token.handler';

/** RFC 6749 §5.2 names for our stable codes; the body carries both. */
const OAUTH_ERROR: Record<string, string> = {
  'AUTH.INVALID_CLIENT': 'invalid_client',
  'AUTH.MALFORMED_CREDENTIALS': 'invalid_client',
  // RFC 6749 has no name for "slow down" at the token endpoint; this is its word for overloaded.
  'AUTH.TOO_MANY_REQUESTS': 'temporarily_unavailable',
  'AUTH.BUSY': 'temporarily_unavailable',
  'AUTH.UNSUPPORTED_GRANT_TYPE': 'unsupported_grant_type',
  'AUTH.INVALID_SCOPE': 'invalid_scope',
};

@Catch()
class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = toErrorResponse(exception);
    const error = OAUTH_ERROR[body.code] ?? (status < 500 ? 'invalid_request' : 'server_error');
    const response = host.switchToHttp().getResponse<Response>();
    if (error === 'invalid_client') response.setHeader('WWW-Authenticate', 'Basic realm="fapiao"');
    if (exception instanceof RetryLaterError)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response
      .status(status === 422 ? 400 : status)
      .setHeader('Cache-Control', 'no-store')
      .json({ error, error_description: body.message, ...body });
  }
}

@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth')
export class IssueTokenController {
  constructor(private readonly handler: IssueTokenHandler) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue an access token (OAuth 2.0 client credentials, RFC 6749 §4.4)',
    description:
      'Errors carry the RFC 6749 §5.2 `error` and `error_description` besides the stable code; 422s are ' +
      'answered 400 (invalid_request, unsupported_grant_type, invalid_scope), as OAuth 2.0 requires.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBodyFrom(IssueTokenRequestSchema)
  @ApiOkFrom(TokenViewSchema)
  @ApiErrors(
    REQUEST_MALFORMED,
    answeredWith(400, OAuthErrors.invalidRequest('grant_type is required', 'grant_type')),
    answeredWith(400, OAuthErrors.unsupportedGrantType()),
    answeredWith(400, OAuthErrors.invalidScope('platform:admin')),
    OAuthErrors.invalidClient(),
    OAuthErrors.malformedCredentials('not base64'),
    OAuthErrors.tooManyRequests(30),
    OAuthErrors.busy(),
  )
  async issue(
    @Body(new ZodValidationPipe(IssueTokenRequestSchema, 'AUTH.INVALID_REQUEST')) body: IssueTokenRequest,
    @Req() request: Request,
    @Headers('authorization') authorization?: string,
  ): Promise<TokenResponse> {
    const basic = parseBasicCredentials(authorization);
    return this.handler.execute({
      grantType: body.grant_type,
      clientId: basic?.clientId ?? body.client_id,
      clientSecret: basic?.clientSecret ?? body.client_secret,
      scope: body.scope,
      sourceAddress: request.ip ?? request.socket.remoteAddress,
    });
  }
}
