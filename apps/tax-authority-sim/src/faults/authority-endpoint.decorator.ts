import { applyDecorators, UseFilters, UseInterceptors } from '@nestjs/common';
import { AuthorityErrorCodes as Codes } from '@fapiao/contracts';
import { ApiErrors } from '@fapiao/platform/http';
import { SimErrors } from '../domain/sim.errors';
import { FaultInterceptor } from './fault.interceptor';
import { InjectedFaultFilter } from './injected-fault.filter';

/**
 * An endpoint of the simulated authority: subject to the injected faults, the maintenance calendar and
 * the rate limit (never the control, status, health, metrics or docs endpoints).
 */
export const AuthorityEndpoint = () =>
  applyDecorators(
    UseInterceptors(FaultInterceptor),
    UseFilters(InjectedFaultFilter),
    ApiErrors(
      SimErrors.clientCertificateExpired(),
      SimErrors.rateLimited(500),
      SimErrors.maintenance(new Date('2026-06-27T16:00:00Z')),
      { status: 503, code: Codes.unavailable, message: 'Service unavailable (injected)' },
      { status: 500, code: Codes.internalError, message: 'Internal error (injected): outcome unknown' },
      { status: 502, code: Codes.badGateway, message: 'Bad gateway (injected): outcome unknown' },
    ),
  );
