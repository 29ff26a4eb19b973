import { Injectable } from '@nestjs/common';
import { BackgroundWorker } from '@fapiao/platform/resilience';
import { OrderRepository } from '../domain/order.repository';

const PURGE_EVERY_MS = 10 * 60_000;

/** Drops idempotency keys past their expiry (kept at least 24 h, ORDER_IDEMPOTENCY_TTL_HOURS). */
@Injectable()
export class IdempotencyPurge extends BackgroundWorker {
  constructor(private readonly orders: OrderRepository) {
    super(IdempotencyPurge.name);
  }

  protected async round(): Promise<number> {
    await this.orders.purgeExpiredIdempotencyKeys(new Date());
    return PURGE_EVERY_MS;
  }

  protected override failureBackoffMs(): number {
    return PURGE_EVERY_MS;
  }
}
