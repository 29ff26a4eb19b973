import type { OrderStatus } from './order-status';
import type { Order } from './order';

export interface OrderPage {
  items: Order[];
  total: number;
}

/** An idempotency key as first used: which request (its hash) and which order it created. */
export interface IdempotencyKey {
  tenantId: string;
  /** The Idempotency-Key header, or `request:<requestId>` for internal Kafka requests. */
  key: string;
  requestHash: string;
  orderId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What an earlier request with the same key got. */
export interface StoredResponse {
  requestHash: string;
  body: string;
}

/**
 * Port (and DI token); every query is scoped to the caller's tenant. Reads join the open unit of work if
 * there is one; writes must run inside one.
 */
export abstract class OrderRepository {
  abstract findById(tenantId: string, id: string): Promise<Order | null>;
  /**
   * Reads these orders in one statement for a batch of messages: the first `findById` of each in the unit
   * of work takes it from there instead of reading it again.
   */
  abstract loadAhead(keys: { tenantId: string; id: string }[]): Promise<void>;
  /** The tenant an order belongs to, unscoped: only to refuse a message naming another tenant's order. */
  abstract tenantOf(id: string): Promise<string | null>;
  abstract list(
    tenantId: string,
    filter: { status?: OrderStatus; page: number; pageSize: number },
  ): Promise<OrderPage>;
  /** Writes a new order in the open unit of work (by the time it commits; not readable before). */
  abstract add(order: Order): Promise<void>;
  /**
   * Writes what changed since the order was read from this repository, in the open unit of work (by the
   * time it commits). Optimistic: the commit fails with ORDER.CONCURRENT_UPDATE when someone else changed
   * the order meanwhile.
   */
  abstract save(order: Order): Promise<void>;
  /**
   * Takes the key for this request with the `response` it answers (written once, with the key), or answers
   * what the request that took it first got. A concurrent request with the same key waits until that one
   * commits.
   */
  abstract reserveIdempotencyKey(key: IdempotencyKey, response: string): Promise<StoredResponse | undefined>;
  /**
   * Reads these keys in one statement for a group of requests: each one's `reserveIdempotencyKey` then
   * answers from there, a key found absent being written with the others when the unit of work commits.
   */
  abstract loadIdempotencyKeysAhead(keys: { tenantId: string; key: string }[]): Promise<void>;
  /** Deletes up to `limit` keys expired before `now`; returns how many went. */
  abstract purgeExpiredIdempotencyKeys(now: Date, limit: number): Promise<number>;
  /** Orders of every tenant accepted and not yet invoiced or rejected: the pipeline's backlog. */
  abstract countInFlight(): Promise<number>;
}
