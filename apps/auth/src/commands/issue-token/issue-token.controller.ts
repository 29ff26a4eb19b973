import {
  Body,
  Catch,
  Controller,
  Headers,
  HttpCode,
  Post,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
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
import { OAuthErrors } from '../../domain/auth.errors';
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
    answeredWith(400, OAuthErrors.invalidScope('ops:admin')),
    OAuthErrors.invalidClient(),
  )
  async issue(
    @Body(new ZodValidationPipe(IssueTokenRequestSchema, 'AUTH.INVALID_REQUEST')) body: IssueTokenRequest,
    @Headers('authorization') authorization?: string,
  ): Promise<TokenResponse> {
    const basic = parseBasic(authorization);
    return this.handler.execute({
      grantType: body.grant_type,
      clientId: basic?.clientId ?? body.client_id,
      clientSecret: basic?.clientSecret ?? body.client_secret,
      scope: body.scope,
    });
  }
}

/** client_secret_basic: both parts are form-urlencoded before base64 (RFC 6749 §2.3.1). */
function parseBasic(header?: string): { clientId: string; clientSecret: string } | undefined {
  const [scheme, encoded] = header?.split(' ') ?? [];
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  return {
    clientId: decodeURIComponent(decoded.slice(0, separator)),
    clientSecret: decodeURIComponent(decoded.slice(separator + 1)),
  };
}
