import { Inject, Injectable } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import { v7 as uuidv7 } from 'uuid';
import { DomainError, HEADERS, type Envelope, type MessageContract, type PayloadOf } from '@fapiao/contracts';
import { insertRows, UnitOfWork } from '@fapiao/platform/persistence';
import { MESSAGING_CONFIG, type MessagingConfig } from '../messaging.config';
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
 * The only way a service produces: the message row is written in the unit of work's transaction, next to
 * the business change (all of a unit's messages in one INSERT at its end), and the relay is woken when
 * that transaction commits. The trace context of the operation that
 * wrote it is stored with it, so the consumer's span becomes a child of this operation.
 */
const OUTBOX_ROWS = Symbol('outbox rows');

@Injectable()
export class OutboxWriter {
  private readonly listeners = new Set<() => void>();
  private readonly wake = () => {
    for (const listener of this.listeners) listener();
  };
  /** A unit of work's messages, in one INSERT just before it commits. */
  private readonly insertRows = (rows: OutboxMessageEntity[]) =>
    insertRows(this.unitOfWork.transactional('OutboxWriter'), OutboxMessageEntity, rows);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(MESSAGING_CONFIG) private readonly config: Pick<MessagingConfig, 'outboxMaxMessageBytes'>,
  ) {}

  async append<M extends MessageContract>(
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
    const value = JSON.stringify(envelope);
    const bytes = Buffer.byteLength(value);
    if (bytes > this.config.outboxMaxMessageBytes) {
      // Refused inside the business transaction: the request or message that asked for it fails as a
      // whole, instead of a committed row that the broker would never take.
      throw new DomainError(
        'validation',
        'MESSAGE.TOO_LARGE',
        `${contract.type} would be ${bytes} bytes, more than the ${this.config.outboxMaxMessageBytes} a message may have`,
      );
    }
    const headers: Record<string, string> = {
      [HEADERS.type]: contract.type,
      [HEADERS.version]: String(contract.version),
    };
    propagation.inject(context.active(), headers);

    const row = new OutboxMessageEntity();
    row.id = id;
    row.topic = contract.topic;
    row.messageKey = message.key;
    row.value = value;
    row.headers = headers;
    row.createdAt = new Date();
    row.sentAt = null;
    this.unitOfWork.batched(OUTBOX_ROWS, row, this.insertRows);
    this.unitOfWork.afterCommit(this.wake);
    return envelope;
  }

  /**
   * A message that already has its envelope (a dead letter being redriven), written as it is: the value,
   * key and headers unchanged. Its outbox row gets an id of its own (the envelope's id was published once
   * already, and the row is published in the order it is written now).
   */
  forward(message: { topic: string; key: string; value: string; headers: Record<string, string> }): void {
    const row = new OutboxMessageEntity();
    row.id = uuidv7();
    row.topic = message.topic;
    row.messageKey = message.key;
    row.value = message.value;
    row.headers = message.headers;
    row.createdAt = new Date();
    row.sentAt = null;
    this.unitOfWork.batched(OUTBOX_ROWS, row, this.insertRows);
    this.unitOfWork.afterCommit(this.wake);
  }

  /** `listener` runs after every commit that appended: the relay publishes at once instead of at its poll. */
  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
