import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { Counter } from 'prom-client';
import { OrderErrors } from '../domain/order.errors';
import { IntakeBacklog } from './intake-backlog';

const refused = new Counter({
  name: 'fapiao_order_intake_refused_total',
  help: 'Orders refused with 429 because the backlog was at its ceiling (ORDER_MAX_BACKLOG)',
});

/** 429 ORDER.BACKLOG_FULL with a Retry-After when the pipeline holds its ceiling of orders; no I/O. */
@Injectable()
export class IntakeBacklogGuard implements CanActivate {
  constructor(private readonly backlog: IntakeBacklog) {}

  canActivate(context: ExecutionContext): boolean {
    const admission = this.backlog.admit();
    if (admission.admitted) return true;
    refused.inc();
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(admission.retryAfterS));
    throw OrderErrors.backlogFull(admission.backlog, admission.retryAfterS);
  }
}
