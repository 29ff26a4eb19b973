import { applyDecorators, UseFilters, UseInterceptors } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ERROR_BODY_SCHEMA } from '../openapi';
import { FaultInterceptor } from './fault.interceptor';
import { InjectedFaultFilter } from './injected-fault.filter';

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } };

/**
 * An endpoint of the simulated authority: subject to the injected faults, the maintenance calendar and
 * the rate limit (never the control, status, health, metrics or docs endpoints).
 */
export const AuthorityEndpoint = () =>
  applyDecorators(
    UseInterceptors(FaultInterceptor),
    UseFilters(InjectedFaultFilter),
    ApiForbiddenResponse({
      description: 'SIM.CLIENT_CERTIFICATE_EXPIRED (injected)',
      schema: ERROR_BODY_SCHEMA,
    }),
    ApiTooManyRequestsResponse({
      description: 'SIM.RATE_LIMITED',
      headers: RETRY_AFTER,
      schema: ERROR_BODY_SCHEMA,
    }),
    ApiServiceUnavailableResponse({
      description: 'SIM.MAINTENANCE (calendar or injected, with Retry-After) or SIM.UNAVAILABLE (injected)',
      headers: RETRY_AFTER,
      schema: ERROR_BODY_SCHEMA,
    }),
    ApiResponse({
      status: 500,
      description: 'SIM.INTERNAL_ERROR (injected): outcome unknown',
      schema: ERROR_BODY_SCHEMA,
    }),
    ApiResponse({
      status: 502,
      description: 'SIM.BAD_GATEWAY (injected): outcome unknown',
      schema: ERROR_BODY_SCHEMA,
    }),
  );
