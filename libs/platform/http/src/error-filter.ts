import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Response } from 'express';
import { throwError, type Observable } from 'rxjs';
import { isDomainError, type ErrorBody, type ErrorKind } from '@fapiao/contracts';
import { unreachableDependency } from './unreachable';

/** The one place where a domain error kind becomes an HTTP status. */
export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: HttpStatus.UNPROCESSABLE_ENTITY,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  concurrency: HttpStatus.CONFLICT,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
};

/** The codes of an unreachable dependency, and the Retry-After they carry. */
const UNREACHABLE_CODES = ['DATABASE.UNAVAILABLE', 'DEPENDENCY.UNAVAILABLE'];
const RETRY_AFTER_S = 1;

/** Codes for failures Nest itself raises before our handlers run (unknown route, malformed JSON, …). */
const CODE_BY_HTTP_STATUS: Record<number, string> = {
  400: 'REQUEST.MALFORMED',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

export function toErrorResponse(exception: unknown): { status: number; body: ErrorBody } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  const traceId = spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
  if (isDomainError(exception)) {
    const { code, message, field, errors } = exception;
    return { status: HTTP_STATUS_BY_KIND[exception.kind], body: { code, message, field, errors, traceId } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === HttpStatus.SERVICE_UNAVAILABLE) {
      // Readiness failures: keep which dependency is down, that is what the operator needs.
      const details = exception.getResponse();
      return {
        status,
        body: { code: 'SERVICE.NOT_READY', message: 'A dependency is unavailable', details, traceId },
      };
    }
    if (status < 500) {
      return {
        status,
        body: { code: CODE_BY_HTTP_STATUS[status] ?? `HTTP.${status}`, message: exception.message, traceId },
      };
    }
  }
  const unreachable = unreachableDependency(exception);
  if (unreachable) {
    // Nothing was committed: the client retries (with its Idempotency-Key) once the dependency is back.
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        code: unreachable === 'database' ? 'DATABASE.UNAVAILABLE' : 'DEPENDENCY.UNAVAILABLE',
        message: `The ${unreachable} is unreachable; retry shortly`,
        traceId,
      },
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { code: 'INTERNAL', message: 'Internal error; quote the trace id when reporting it', traceId },
  };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Message handlers: hand the original error back to the consumer runner, which classifies it.
    if (host.getType() !== 'http') return throwError(() => exception);
    const { status, body } = toErrorResponse(exception);
    if (body.code === 'INTERNAL')
      this.logger.error(
        `unhandled error (trace ${body.traceId}): ${exception instanceof Error ? exception.stack : String(exception)}`,
      );
    const response = host.switchToHttp().getResponse<Response>();
    // A dependency that dropped out comes back (or the pod is replaced) within seconds; an answer that
    // already says when to come back (a maintenance window) keeps its own Retry-After.
    if (UNREACHABLE_CODES.includes(body.code) && !response.getHeader('Retry-After')) {
      response.setHeader('Retry-After', String(RETRY_AFTER_S));
    }
    response.status(status).json(body);
  }
}
