import { Injectable } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import { v7 as uuidv7 } from 'uuid';
import type { EntityManager } from 'typeorm';
import { DomainError, HEADERS, type Envelope, type MessageContract, type PayloadOf } from '@fapiao/contracts';
import { OutboxMessageEntity } from './outbox-message.entity';

export interface OutgoingMessage<M extends MessageContract> {
  tenantId: string;
  /** The aggregate id: Kafka key and envelope key. */
  key: string;
  payload: PayloadOf<M>;
  /** The message being handled, if any: gives causation and correlation ids. */
  causedBy?: Envelope;
}

/**
 * The only way a service produces: the message row is written in the caller's transaction, next to the
 * business change, and the relay publishes it after commit. The trace context of the operation that
 * wrote it is stored with it, so the consumer's span becomes a child of this operation.
 */
@Injectable()
export class OutboxWriter {
  private readonly listeners = new Set<() => void>();

  async append<M extends MessageContract>(
    manager: EntityManager,
    contract: M,
    message: OutgoingMessage<M>,
  ): Promise<Envelope<PayloadOf<M>>> {
    const parsed = contract.payload.safeParse(message.payload);
    if (!parsed.success) {
      // Producing something our own contract refuses is a bug, never a consumer's problem.
      throw new DomainError(
        'validation',
        'MESSAGE.CONTRACT_VIOLATION',
        `${contract.type}: ${parsed.error.message}`,
      );
    }
    const id = uuidv7();
    const envelope: Envelope<PayloadOf<M>> = {
      id,
      type: contract.type,
      version: contract.version,
      occurredAt: new Date().toISOString(),
      tenantId: message.tenantId,
      key: message.key,
      causationId: message.causedBy?.id ?? null,
      correlationId: message.causedBy?.correlationId ?? id,
      payload: parsed.data as PayloadOf<M>,
    };
    const headers: Record<string, string> = {
      [HEADERS.type]: contract.type,
      [HEADERS.version]: String(contract.version),
    };
    propagation.inject(context.active(), headers);

    const row = new OutboxMessageEntity();
    row.id = id;
    row.topic = contract.topic;
    row.messageKey = message.key;
    row.value = JSON.stringify(envelope);
    row.headers = headers;
    row.createdAt = new Date();
    row.sentAt = null;
    await manager.insert(OutboxMessageEntity, row);
    return envelope;
  }

  /** Called after a transaction that appended has committed: wakes the relay instead of waiting for its poll. */
  notifyCommitted(): void {
    for (const listener of this.listeners) listener();
  }

  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
