import { Injectable } from '@nestjs/common';
import { BackgroundWorker } from '@fapiao/platform/resilience';
import { OrderRepository } from '../domain/order.repository';

const PURGE_EVERY_MS = 60_000;
/** Rows per DELETE: short statements, repeated back to back while a chunk comes back full. */
const CHUNK = 5_000;

/**
 * Drops idempotency keys past their expiry (kept at least 24 h, ORDER_IDEMPOTENCY_TTL_HOURS) in bounded
 * chunks: 5,000 a statement keeps up with any intake rate without one long delete holding locks.
 */
@Injectable()
export class IdempotencyPurge extends BackgroundWorker {
  constructor(private readonly orders: OrderRepository) {
    super(IdempotencyPurge.name);
  }

  protected async round(): Promise<number> {
    const deleted = await this.orders.purgeExpiredIdempotencyKeys(new Date(), CHUNK);
    return deleted === CHUNK ? 0 : PURGE_EVERY_MS;
  }

  protected override failureBackoffMs(): number {
    return PURGE_EVERY_MS;
  }
}
