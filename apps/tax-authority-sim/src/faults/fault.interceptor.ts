import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { defer, mergeMap, timer, type Observable } from 'rxjs';
import { SimErrors } from '../domain/sim.errors';
import { INVOICES_PER_REQUEST, type InvoiceCount } from './invoices-per-request';
import { FaultsService } from './faults.service';
import { InjectedFault } from './injected-fault';
import { loseResponse } from './reset-connection';

/**
 * Puts every authority request through the gate before validation and the handler: certificate,
 * maintenance and rate limit answers, latency, then the drawn outcome. A late timeout is processed after
 * its delay whether or not the client is still there, as a slow platform would.
 */
@Injectable()
export class FaultInterceptor implements NestInterceptor {
  constructor(
    private readonly faults: FaultsService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    const count = this.reflector.get<InvoiceCount | undefined>(INVOICES_PER_REQUEST, context.getHandler());
    const invoices = count ? count(context.switchToHttp().getRequest<Request>().body) : 1;
    const decision = this.faults.decide(invoices);
    switch (decision.kind) {
      case 'certificate_expired':
        throw SimErrors.clientCertificateExpired();
      case 'maintenance':
        response.setHeader('Retry-After', String(decision.retryAfterSeconds));
        throw SimErrors.maintenance(decision.until);
      case 'rate_limited':
        response.setHeader('Retry-After', String(decision.retryAfterSeconds));
        throw SimErrors.rateLimited(decision.perSecond);
    }
    const { outcome } = decision;
    let delayMs = decision.delayMs;
    if (outcome.kind === 'timeout' && outcome.mode !== 'hang') delayMs += outcome.mode.afterMs;
    const proceed = (): Observable<unknown> => {
      switch (outcome.kind) {
        case 'reset':
          throw new InjectedFault({ kind: 'reset' });
        case 'timeout':
          if (outcome.mode === 'hang') throw new InjectedFault({ kind: 'hang' });
          return next.handle();
        case 'error':
          throw new InjectedFault({ kind: 'error', status: outcome.status });
        case 'response_lost':
          loseResponse(response);
          return next.handle();
        default:
          return next.handle();
      }
    };
    return delayMs > 0 ? timer(delayMs).pipe(mergeMap(proceed)) : defer(proceed);
  }
}
