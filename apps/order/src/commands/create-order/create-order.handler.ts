import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { OrderPlaced, type CreateOrderRequest, type Envelope } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { GroupCommit, isLostLockRace } from '@fapiao/platform/persistence';
import { assertInvoiceable } from '../../domain/invoiceable';
import { Order } from '../../domain/order';
import { OrderErrors } from '../../domain/order.errors';
import { OrderRepository, type IdempotencyKey } from '../../domain/order.repository';
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
    private readonly groupCommit: GroupCommit,
    @Inject(ORDER_CONFIG) private readonly config: OrderConfig,
  ) {}

  /** The same function for every request: a group reads all its requests' keys in one statement. */
  private readonly idempotencyKeysAhead = (keys: { tenantId: string; key: string }[]) =>
    this.orders.loadIdempotencyKeysAhead(keys);

  /**
   * `POST /v1/orders`: an order that could never be invoiced is refused before anything is read or
   * written (422 ORDER.NOT_INVOICEABLE); then it is accepted in a transaction shared with the requests
   * arriving meanwhile (group commit: one commit, and one read of their idempotency keys, for many
   * orders; a request the group cannot take runs alone and gets its own answer; a deadlock with a
   * concurrent request is retried once). Internal Kafka requests have no one to answer: they are accepted
   * (executeEnlisted) and the invoice service rejects them with the same codes (INVOICE_REJECTED).
   */
  async execute(command: CreateOrderCommand): Promise<CreateOrderResult> {
    assertInvoiceable(command.sellerTaxId, command.request);
    const run = () =>
      this.groupCommit.run(() => this.executeEnlisted(command), {
        load: this.idempotencyKeysAhead,
        key: { tenantId: command.tenantId, key: command.idempotencyKey },
      });
    return run().catch((error: unknown) => {
      if (!isLostLockRace(error)) throw error;
      return run();
    });
  }

  /** Inside the caller's open transaction (the Kafka ingest's, with its inbox row). */
  async executeEnlisted(command: CreateOrderCommand): Promise<CreateOrderResult> {
    const hash = requestHash(command.request);
    const now = new Date();
    const key: IdempotencyKey = {
      tenantId: command.tenantId,
      key: command.idempotencyKey,
      requestHash: hash,
      orderId: uuidv7(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.idempotencyTtlHours * 3_600_000),
    };
    const order = Order.place({
      id: key.orderId,
      tenantId: command.tenantId,
      sellerTaxId: command.sellerTaxId,
      request: command.request,
      now,
    });
    // The response is known before anything is written: the key row is written once, with it.
    const view = OrderView.from(order);
    const earlier = await this.orders.reserveIdempotencyKey(key, JSON.stringify(view));
    if (earlier) {
      if (earlier.requestHash !== hash) throw OrderErrors.idempotencyKeyReused();
      return { order: JSON.parse(earlier.body) as OrderView, replayed: true };
    }
    await this.orders.add(order);
    annotateActiveSpan({ tenantId: order.tenantId, orderId: order.id });

    await this.outbox.append(OrderPlaced, {
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
    return { order: view, replayed: false };
  }
}
