import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { Counter } from 'prom-client';
import { OrderErrors } from '../domain/order.errors';
import { IntakeBacklog } from './intake-backlog';

const refused = new Counter({
  name: 'fapiao_order_intake_refused_total',
  help:
    'Orders refused with 429: reason backlog_full (ORDER_MAX_BACKLOG in flight) or intake_busy (a new order ' +
    'would wait ORDER_MAX_INTAKE_WAIT_MS or longer for its transaction)',
  labelNames: ['reason'],
});

/**
 * 429 with a Retry-After, no I/O: ORDER.BACKLOG_FULL when the pipeline holds its ceiling of orders,
 * ORDER.INTAKE_BUSY when a new order would queue too long for its transaction.
 */
@Injectable()
export class IntakeBacklogGuard implements CanActivate {
  constructor(private readonly backlog: IntakeBacklog) {}

  canActivate(context: ExecutionContext): boolean {
    const response = context.switchToHttp().getResponse<Response>();
    const admission = this.backlog.admit();
    if (admission.admitted) {
      response.once('close', () => this.backlog.answered());
      return true;
    }
    const busy = 'waitMs' in admission;
    refused.inc({ reason: busy ? 'intake_busy' : 'backlog_full' });
    response.setHeader('Retry-After', String(admission.retryAfterS));
    throw busy
      ? OrderErrors.intakeBusy(admission.waitMs)
      : OrderErrors.backlogFull(admission.backlog, admission.retryAfterS);
  }
}
