import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { OrderPlaced, type CreateOrderRequest, type Envelope } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { isDuplicateEntry, isLostLockRace } from '@fapiao/platform/persistence';
import { OrderErrors } from '../../domain/order.errors';
import { IdempotencyKeyEntity } from '../../infrastructure/idempotency-key.entity';
import { OrderEntity } from '../../infrastructure/order.entity';
import { OrderRepository } from '../../infrastructure/order.repository';
import { ORDER_CONFIG, type OrderConfig } from '../../order.config';
import { OrderView } from '../../queries/order.view';

export interface CreateOrderCommand {
  tenantId: string;
  sellerTaxId: string;
  /** The Idempotency-Key header, or `request:<requestId>` for internal requests. */
  idempotencyKey: string;
  request: CreateOrderRequest;
  causedBy?: Envelope;
}

export interface CreateOrderResult {
  order: OrderView;
  replayed: boolean;
}

/** Canonical JSON (sorted keys) so the same body hashes the same whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (request: unknown): string =>
  createHash('sha256').update(canonical(request)).digest('hex');

/**
 * Accepts an order exactly once per idempotency key: the order row, the OrderPlaced outbox message and the
 * stored response commit together; the same key with the same body replays that response, with another
 * body it is refused.
 */
@Injectable()
export class CreateOrderHandler {
  constructor(
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ORDER_CONFIG) private readonly config: OrderConfig,
  ) {}

  /** In its own transaction; a deadlock with a concurrent request is retried once. */
  async execute(command: CreateOrderCommand): Promise<CreateOrderResult> {
    const run = () => this.dataSource.transaction((manager) => this.executeIn(manager, command));
    const result = await run().catch((error: unknown) => {
      if (!isLostLockRace(error)) throw error;
      return run();
    });
    if (!result.replayed) this.outbox.notifyCommitted();
    return result;
  }

  /**
   * Inside the caller's transaction (the Kafka ingest's, with its inbox row). The key row is inserted
   * first: a concurrent request with the same key waits on it and then replays, and different keys never
   * contend (a locking read of a missing row would take gap locks and deadlock under load).
   */
  async executeIn(manager: EntityManager, command: CreateOrderCommand): Promise<CreateOrderResult> {
    const hash = requestHash(command.request);
    const now = new Date();
    const record = new IdempotencyKeyEntity();
    record.tenantId = command.tenantId;
    record.key = command.idempotencyKey;
    record.requestHash = hash;
    record.orderId = uuidv7();
    record.responseStatus = 201;
    record.responseBody = '';
    record.createdAt = now;
    record.expiresAt = new Date(now.getTime() + this.config.idempotencyTtlHours * 3_600_000);
    try {
      await this.orders.insertIdempotencyKey(manager, record);
    } catch (error) {
      if (!isDuplicateEntry(error)) throw error;
      const existing = await this.orders.findIdempotencyKey(
        manager,
        command.tenantId,
        command.idempotencyKey,
      );
      if (!existing) throw error;
      if (existing.requestHash !== hash) throw OrderErrors.idempotencyKeyReused();
      return { order: JSON.parse(existing.responseBody) as OrderView, replayed: true };
    }

    const order = new OrderEntity();
    order.id = record.orderId;
    order.tenantId = command.tenantId;
    order.sellerTaxId = command.sellerTaxId;
    order.externalId = command.request.externalId;
    order.status = 'ACCEPTED';
    order.invoiceType = command.request.invoiceType;
    order.request = JSON.stringify(command.request);
    order.invoiceId = null;
    order.rejection = null;
    order.invoicedGross = null;
    order.reversalError = null;
    order.createdAt = now;
    order.updatedAt = order.createdAt;
    order.version = 1;
    await this.orders.insert(manager, order);
    annotateActiveSpan({ tenantId: order.tenantId, orderId: order.id });

    await this.outbox.append(manager, OrderPlaced, {
      tenantId: order.tenantId,
      key: order.id,
      causedBy: command.causedBy,
      payload: {
        orderId: order.id,
        externalId: order.externalId,
        invoiceType: command.request.invoiceType,
        seller: { taxId: command.sellerTaxId },
        buyer: command.request.buyer,
        lines: command.request.lines,
      },
    });

    const view = OrderView.from(order);
    await this.orders.saveIdempotentResponse(manager, record, JSON.stringify(view));
    return { order: view, replayed: false };
  }
}
