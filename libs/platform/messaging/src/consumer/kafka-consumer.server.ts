import { Inject, Injectable, Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Consumer, EachMessagePayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import {
  consumerGroup,
  deadLetterTopic,
  HEADERS,
  retryConsumerGroup,
  retryTopic,
  type BaseTopic,
  type Envelope,
} from '@fapiao/contracts';
import {
  KAFKA_CONFIG,
  SERVICE_IDENTITY,
  type KafkaConfig,
  type ServiceIdentity,
} from '@fapiao/platform/config';
import { isDuplicateEntry, UnitOfWork } from '@fapiao/platform/persistence';
import { InboxMessageEntity } from '../inbox/inbox-message.entity';
import { createKafka } from '../kafka-client';
import { KafkaProducerService } from '../kafka-producer.service';
import { MESSAGING_CONFIG, type MessagingConfig } from '../messaging.config';
import { consumerLag, handlerDuration, messagesConsumed } from '../metrics';
import { processContext, withContext } from '../tracing';
import { classify, failureCode } from './error-classification';
import { MessageContext } from './message-context';
import type { MessagePattern } from './message-pattern';
import { parseMessage } from './parse-message';

type ConsumerState = 'starting' | 'running' | 'stopped';

interface Subscription {
  baseTopic: BaseTopic;
  /** Consumer group, also the inbox's dedupe scope: shared by the topic and its retry topic. */
  group: string;
  handlers: Map<string, MessageHandler>;
}

const RESTART_DELAY_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) decoded[name] = first.toString();
  }
  return decoded;
}

/**
 * Our consumer runner as a Nest transport, so handlers stay `@EventPattern(onMessage(Contract))`.
 * Per topic one consumer group (a failing topic never stalls another; topics can be paused). For every
 * message: validate against the contract (invalid → `.dlq` with the reason), write the message id to the
 * inbox in the same transaction as the handler's effects (a redelivery is skipped), retry transient
 * failures with backoff, then through `<topic>.retry`, then `.dlq`. The offset is committed only after
 * the effect, the retry message or the dead letter is durable. The app must install a global filter that
 * rethrows in RPC context (platform/http's ErrorFilter, installed by PlatformModule), or Nest's default
 * filter would replace domain errors by a generic one.
 */
@Injectable()
export class KafkaConsumerServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaConsumerServer.name);
  private readonly kafka: Kafka;
  private readonly consumers = new Map<string, { consumer: Consumer; state: ConsumerState }>();
  private closing = false;

  constructor(
    @Inject(KAFKA_CONFIG) kafkaConfig: KafkaConfig,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig,
    @Inject(SERVICE_IDENTITY) private readonly service: ServiceIdentity,
    private readonly unitOfWork: UnitOfWork,
    private readonly producer: KafkaProducerService,
  ) {
    super();
    this.kafka = createKafka(kafkaConfig);
  }

  /** Consumer groups and whether each has joined: what readiness reports. */
  states(): Record<string, ConsumerState> {
    return Object.fromEntries([...this.consumers].map(([topic, { state }]) => [topic, state]));
  }

  listen(callback: (error?: unknown) => void): void {
    for (const subscription of this.subscriptions()) {
      void this.keepRunning(subscription.baseTopic, subscription, false);
      void this.keepRunning(retryTopic(subscription.baseTopic), subscription, true);
    }
    callback();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.consumers.values()].map(({ consumer }) => consumer.disconnect().catch(() => undefined)),
    );
  }

  pause(topic: BaseTopic): void {
    for (const name of [topic, retryTopic(topic)])
      this.consumers.get(name)?.consumer.pause([{ topic: name }]);
  }

  resume(topic: BaseTopic): void {
    for (const name of [topic, retryTopic(topic)])
      this.consumers.get(name)?.consumer.resume([{ topic: name }]);
  }

  on(): never {
    throw new Error('KafkaConsumerServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.kafka as T;
  }

  private subscriptions(): Subscription[] {
    const byTopic = new Map<BaseTopic, Subscription>();
    for (const [key, handler] of this.messageHandlers) {
      const pattern = JSON.parse(key) as MessagePattern;
      const baseTopic = pattern.topic as BaseTopic;
      const subscription = byTopic.get(baseTopic) ?? {
        baseTopic,
        group: consumerGroup(this.service.name, baseTopic),
        handlers: new Map(),
      };
      subscription.handlers.set(pattern.type, handler);
      byTopic.set(baseTopic, subscription);
    }
    return [...byTopic.values()];
  }

  /** Connects (retrying while Kafka is unreachable) and restarts the consumer if it ever crashes. */
  private async keepRunning(topic: string, subscription: Subscription, isRetryTopic: boolean): Promise<void> {
    while (!this.closing) {
      const consumer = this.kafka.consumer({
        groupId: isRetryTopic ? retryConsumerGroup(subscription.group) : subscription.group,
        sessionTimeout: this.config.sessionTimeoutMs,
        rebalanceTimeout: this.config.sessionTimeoutMs,
        heartbeatInterval: Math.max(500, Math.floor(this.config.sessionTimeoutMs / 10)),
        maxWaitTimeInMs: this.config.maxWaitMs,
        allowAutoTopicCreation: false,
        retry: { retries: 5 },
      });
      const entry = { consumer, state: 'starting' as ConsumerState };
      this.consumers.set(topic, entry);
      const crashed = new Promise<void>((resolve) => {
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!payload.restart) resolve();
        });
        consumer.on(consumer.events.STOP, () => resolve());
      });
      consumer.on(consumer.events.GROUP_JOIN, () => (entry.state = 'running'));
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
        consumerLag.set(
          { topic: payload.topic, partition: payload.partition, group: subscription.group },
          Number(payload.offsetLag),
        ),
      );
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          partitionsConsumedConcurrently: this.config.partitionsConcurrency,
          eachMessage: (payload) => this.handle(payload, subscription, isRetryTopic),
        });
        await crashed;
      } catch (error) {
        if (!this.closing)
          this.logger.warn(`consumer ${topic}: ${error instanceof Error ? error.message : String(error)}`);
      }
      entry.state = 'stopped';
      await consumer.disconnect().catch(() => undefined);
      if (!this.closing) await sleep(RESTART_DELAY_MS);
    }
  }

  private async handle(
    payload: EachMessagePayload,
    subscription: Subscription,
    isRetryTopic: boolean,
  ): Promise<void> {
    const { message, partition, heartbeat } = payload;
    const headers = decodeHeaders(message.headers);
    const baseTopic = subscription.baseTopic;
    if (isRetryTopic) await this.waitUntil(Number(headers[HEADERS.notBefore] ?? 0), heartbeat);

    const parsed = parseMessage(message.value?.toString(), new Set(subscription.handlers.keys()));
    if (!parsed.ok) {
      await this.deadLetter(baseTopic, message, headers, payload, parsed.code, parsed.reason);
      messagesConsumed.inc({
        topic: baseTopic,
        type: headers[HEADERS.type] ?? 'unknown',
        outcome: 'dead_lettered',
      });
      return;
    }
    const { envelope } = parsed;
    const handler = parsed.contract && subscription.handlers.get(envelope.type);
    if (!handler) {
      messagesConsumed.inc({ topic: baseTopic, type: envelope.type, outcome: 'ignored' });
      return;
    }

    const firstAttempt = Number(headers[HEADERS.attempt] ?? 1);
    const { span, ctx } = processContext(baseTopic, envelope.key, envelope.id, headers, {
      'messaging.consumer.group.name': subscription.group,
      'messaging.destination.partition.id': String(partition),
      'messaging.kafka.offset': Number(message.offset),
      'fapiao.message.type': envelope.type,
      'fapiao.tenant_id': envelope.tenantId,
    });
    try {
      await withContext(ctx, () =>
        this.handleWithRetries(handler, envelope, subscription, payload, headers, firstAttempt),
      );
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
  }

  private async handleWithRetries(
    handler: MessageHandler,
    envelope: Envelope,
    subscription: Subscription,
    payload: EachMessagePayload,
    headers: Record<string, string>,
    firstAttempt: number,
  ): Promise<void> {
    const labels = { topic: subscription.baseTopic, type: envelope.type };
    for (let local = 0; ; local += 1) {
      const attempt = firstAttempt + local;
      const stopTimer = handlerDuration.startTimer(labels);
      try {
        const outcome = await this.handleOnce(handler, envelope, subscription, payload, attempt);
        stopTimer();
        messagesConsumed.inc({ ...labels, outcome });
        return;
      } catch (error) {
        stopTimer();
        const reason = error instanceof Error ? error.message : String(error);
        const code = failureCode(error);
        if (classify(error) === 'poison') {
          this.logger.warn(`${envelope.type} ${envelope.id} is poison (${code}): ${reason}`);
          await this.deadLetter(subscription.baseTopic, payload.message, headers, payload, code, reason);
          messagesConsumed.inc({ ...labels, outcome: 'dead_lettered' });
          return;
        }
        if (local < this.config.localRetries) {
          await sleep(Math.min(100 * 4 ** local, 5_000) * (0.5 + Math.random() / 2));
          await payload.heartbeat();
          continue;
        }
        const round = Math.floor((attempt - 1) / (this.config.localRetries + 1));
        if (round < this.config.retryRounds) {
          await this.sendToRetry(subscription.baseTopic, payload.message, headers, attempt + 1, code, reason);
          messagesConsumed.inc({ ...labels, outcome: 'retried' });
        } else {
          this.logger.error(`${envelope.type} ${envelope.id} failed after ${attempt} attempts: ${reason}`);
          await this.deadLetter(
            subscription.baseTopic,
            payload.message,
            headers,
            payload,
            code,
            `retries exhausted: ${reason}`,
          );
          messagesConsumed.inc({ ...labels, outcome: 'dead_lettered' });
        }
        return;
      }
    }
  }

  /** One unit of work, owned here: the inbox row and the effects of the handler, which enlists in it. */
  private async handleOnce(
    handler: MessageHandler,
    envelope: Envelope,
    subscription: Subscription,
    payload: EachMessagePayload,
    attempt: number,
  ): Promise<'processed' | 'duplicate'> {
    return this.unitOfWork.run<'processed' | 'duplicate'>(async () => {
      try {
        await this.unitOfWork.transactional('inbox').insert(InboxMessageEntity, {
          consumerGroup: subscription.group,
          messageId: envelope.id,
          topic: subscription.baseTopic,
          processedAt: new Date(),
        });
      } catch (error) {
        if (isDuplicateEntry(error)) return 'duplicate';
        throw error;
      }
      const context = new MessageContext([
        {
          envelope,
          topic: payload.topic,
          partition: payload.partition,
          offset: payload.message.offset,
          attempt,
        },
      ]);
      await lastValueFrom(this.transformToObservable(await handler(envelope, context)), {
        defaultValue: undefined,
      });
      return 'processed';
    });
  }

  private async sendToRetry(
    baseTopic: BaseTopic,
    message: KafkaMessage,
    headers: Record<string, string>,
    attempt: number,
    code: string,
    reason: string,
  ): Promise<void> {
    await this.producer.sendBatch([
      {
        topic: retryTopic(baseTopic),
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: {
              ...headers,
              [HEADERS.attempt]: String(attempt),
              [HEADERS.notBefore]: String(Date.now() + this.config.retryDelayMs),
              [HEADERS.errorCode]: code,
              [HEADERS.error]: reason.slice(0, 1_000),
            },
          },
        ],
      },
    ]);
  }

  private async deadLetter(
    baseTopic: BaseTopic,
    message: KafkaMessage,
    headers: Record<string, string>,
    payload: EachMessagePayload,
    code: string,
    reason: string,
  ): Promise<void> {
    await this.producer.sendBatch([
      {
        topic: deadLetterTopic(baseTopic),
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: {
              ...headers,
              [HEADERS.errorCode]: code,
              [HEADERS.error]: reason.slice(0, 1_000),
              [HEADERS.originalTopic]: payload.topic,
              [HEADERS.originalPartition]: String(payload.partition),
              [HEADERS.originalOffset]: message.offset,
            },
          },
        ],
      },
    ]);
  }

  /** Holds a retry-topic message until its not-before time, heartbeating so the group keeps us. */
  private async waitUntil(notBefore: number, heartbeat: () => Promise<void>): Promise<void> {
    while (!this.closing && Date.now() < notBefore) {
      await sleep(Math.min(notBefore - Date.now(), 500));
      await heartbeat();
    }
  }
}
