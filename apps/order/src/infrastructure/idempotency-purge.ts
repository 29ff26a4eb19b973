import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OrderRepository } from './order.repository';

const PURGE_EVERY_MS = 10 * 60_000;

/** Drops idempotency keys past their expiry (kept at least 24 h, ORDER_IDEMPOTENCY_TTL_HOURS). */
@Injectable()
export class IdempotencyPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurge.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly orders: OrderRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.orders
        .purgeExpiredIdempotencyKeys(new Date())
        .catch((error: unknown) => this.logger.warn(`idempotency purge: ${String(error)}`));
    }, PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
