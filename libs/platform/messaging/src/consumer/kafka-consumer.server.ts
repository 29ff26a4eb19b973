import { Inject, Injectable, Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
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
import { insertRows, isDuplicateEntry, UnitOfWork } from '@fapiao/platform/persistence';
import { DeadLetterStore } from '../dead-letters/dead-letter.store';
import { InboxMessageEntity } from '../inbox/inbox-message.entity';
import { createKafka } from '../kafka-client';
import { KafkaProducerService } from '../kafka-producer.service';
import { MESSAGING_CONFIG, type MessagingConfig } from '../messaging.config';
import { ConsumerLagSeries, handlerDuration, messagesConsumed } from '../metrics';
import { inBatchSpan, processContext, withContext } from '../tracing';
import { ChunkGatherer } from './chunk-gatherer';
import { classify, failureCode } from './error-classification';
import { MessageContext } from './message-context';
import { OffsetCommitter } from './offset-committer';
import type { MessagePattern, PrefetchPattern } from './message-pattern';
import { parseMessage } from './parse-message';
import { boundedAttempt, boundedLabel, boundedNotBefore } from './untrusted-headers';

type ConsumerState = 'starting' | 'running' | 'stopped';

/** Where a message was read, and the partition's heartbeat: what handling one message needs. */
interface Delivery {
  topic: string;
  partition: number;
  message: KafkaMessage;
  headers: Record<string, string>;
  heartbeat: () => Promise<void>;
}

/** A valid message of a type this service handles. */
interface Work extends Delivery {
  envelope: Envelope;
  handler: MessageHandler;
}

interface Subscription {
  baseTopic: BaseTopic;
  /** Consumer group, also the inbox's dedupe scope: shared by the topic and its retry topic. */
  group: string;
  handlers: Map<string, MessageHandler>;
  /** By message type: the handler that loads ahead what a batch's messages of that type will read. */
  prefetchers: Map<string, MessageHandler>;
}

const RESTART_DELAY_MS = 2_000;
const DEFAULT_LEAVE_WITHIN_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Every statement of a handler sees what is committed when it runs, not a snapshot taken at the start of
 * its batch: a message later in a batch must not act on facts older than itself. Locking reads (the
 * aggregates' own rows) are what serialize writers, in any isolation level.
 */
const CONSUMER_TRANSACTION = { isolation: 'READ COMMITTED' } as const;

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
 * Per topic one consumer group (a failing topic never stalls another; topics can be paused). A partition's
 * batch is taken in chunks of up to CONSUMER_BATCH_MAX messages: types this service does not handle are
 * skipped by their header, invalid messages go to `.dlq` with the reason, and the rest run in ONE unit of
 * work — their inbox rows (a redelivery is skipped) and every handler's effects, in partition order — with
 * the chunks of the fetch's other partitions, up to CONSUMER_BATCH_MAX messages a unit (ChunkGatherer). A
 * unit of work that fails is handled again one message per transaction, so only the failing
 * message is retried (locally with backoff, then through `<topic>.retry`, then `.dlq`) and its neighbours
 * commit once. Offsets are committed only after the effects, retry messages or dead letters are durable, at
 * most every CONSUMER_COMMIT_INTERVAL_MS (a redelivery meanwhile is skipped by the inbox). The app must install a global filter that
 * rethrows in RPC context (platform/http's ErrorFilter, installed by PlatformModule), or Nest's default
 * filter would replace domain errors by a generic one.
 */
@Injectable()
export class KafkaConsumerServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaConsumerServer.name);
  private readonly kafka: Kafka;
  private readonly consumers = new Map<
    string,
    { consumer: Consumer; committer: OffsetCommitter; state: ConsumerState }
  >();
  private closing = false;
  private signalClose: () => void = () => undefined;
  /** Resolved by close(): ends a consumer's wait at whichever step it is (connecting, joining, running). */
  private readonly closeSignal = new Promise<void>((resolve) => (this.signalClose = resolve));
  /** One per consumer (topic and retry topic), each ending once its consumer has left for good. */
  private readonly loops: Promise<void>[] = [];
  private closed?: Promise<void>;
  private readonly lag = new ConsumerLagSeries();

  constructor(
    @Inject(KAFKA_CONFIG) kafkaConfig: KafkaConfig,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig,
    @Inject(SERVICE_IDENTITY) private readonly service: ServiceIdentity,
    private readonly unitOfWork: UnitOfWork,
    private readonly producer: KafkaProducerService,
    private readonly deadLetters: DeadLetterStore,
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
      this.loops.push(
        this.keepRunning(subscription.baseTopic, subscription, false),
        this.keepRunning(retryTopic(subscription.baseTopic), subscription, true),
      );
    }
    callback();
  }

  /**
   * Every consumer fetches nothing more, finishes its batch in progress, commits what was handled while
   * still in its group (kafkajs commits only then) and leaves it; one still connecting or joining (the broker
   * away, its coordinator loading) is abandoned, not waited for. A broker that does not answer is not waited
   * for past `leaveWithinMs` either: what was not committed is redelivered to the group and the inbox skips
   * it. Nest's `app.close()` calls this again after the shutdown's own call: the same promise.
   */
  close(leaveWithinMs = DEFAULT_LEAVE_WITHIN_MS): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.signalClose();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>(
        (resolve) => (timer = setTimeout(() => resolve('late'), leaveWithinMs)),
      );
      const left = await Promise.race([Promise.all(this.loops), late]);
      clearTimeout(timer);
      if (left === 'late')
        this.logger.warn(
          `consumers not out of their groups after ${leaveWithinMs} ms (the broker does not answer): left behind`,
        );
    })();
    return this.closed;
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
      const pattern = JSON.parse(key) as MessagePattern | PrefetchPattern;
      const baseTopic = pattern.topic as BaseTopic;
      const subscription = byTopic.get(baseTopic) ?? {
        baseTopic,
        group: consumerGroup(this.service.name, baseTopic),
        handlers: new Map(),
        prefetchers: new Map(),
      };
      if ('prefetch' in pattern)
        for (const type of pattern.prefetch.split(',')) subscription.prefetchers.set(type, handler);
      else subscription.handlers.set(pattern.type, handler);
      byTopic.set(baseTopic, subscription);
    }
    for (const { baseTopic, handlers, prefetchers } of byTopic.values()) {
      const orphan = [...prefetchers.keys()].find((type) => !handlers.has(type));
      if (orphan) throw new Error(`prefetch(${orphan}) on ${baseTopic}, but no handler of ${orphan}`);
    }
    return [...byTopic.values()];
  }

  /**
   * Connects (retrying while Kafka is unreachable) and starts a new consumer whenever one crashes: this loop
   * is the only one to restart them, as a consumer kafkajs restarted by itself would outlive close().
   */
  private async keepRunning(topic: string, subscription: Subscription, isRetryTopic: boolean): Promise<void> {
    while (!this.closing) {
      const consumer = this.kafka.consumer({
        groupId: isRetryTopic ? retryConsumerGroup(subscription.group) : subscription.group,
        sessionTimeout: this.config.sessionTimeoutMs,
        rebalanceTimeout: this.config.sessionTimeoutMs,
        heartbeatInterval: Math.max(500, Math.floor(this.config.sessionTimeoutMs / 10)),
        maxWaitTimeInMs: this.config.maxWaitMs,
        allowAutoTopicCreation: false,
        retry: { retries: 5, restartOnFailure: async () => false },
      });
      const committer = new OffsetCommitter(consumer, topic, this.config.commitIntervalMs, (error) =>
        this.logger.debug(`consumer ${topic}: offset commit failed (${errorText(error)}), retried`),
      );
      // The partitions of a fetch share units of work; a retry topic's messages each wait for their
      // not-before time, one at a time, never gathered.
      const handleUnit = (work: Work[]) => this.handleUnit(work, subscription);
      const gatherer = isRetryTopic ? undefined : new ChunkGatherer<Work>(this.config.batchMax, handleUnit);
      const handle = (work: Work[]) => (gatherer ? gatherer.submit(work) : handleUnit(work));
      const entry = { consumer, committer, state: 'starting' as ConsumerState };
      this.consumers.set(topic, entry);
      /** The batches being handled: close() lets them finish before the commit. */
      const batches = new Set<Promise<void>>();
      const ended = new Promise<void>((resolve) => {
        consumer.on(consumer.events.CRASH, () => resolve());
        consumer.on(consumer.events.STOP, () => resolve());
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        entry.state = 'running';
        committer.keepOnly(payload.memberAssignment[topic] ?? []);
        this.lag.keepOnly(subscription.group, topic, payload.memberAssignment[topic] ?? []);
      });
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
        this.lag.set(subscription.group, payload.topic, payload.partition, Number(payload.offsetLag)),
      );
      const running = (async () => {
        await consumer.connect();
        if (this.closing) return;
        await consumer.subscribe({ topic, fromBeginning: true });
        if (this.closing) return;
        await consumer.run({
          partitionsConsumedConcurrently: this.config.partitionsConcurrency,
          eachBatchAutoResolve: false,
          // Committed by `committer` (an interval, not every batch).
          autoCommit: false,
          eachBatch: async (payload) => {
            const batch = this.handleBatch(payload, subscription, committer, isRetryTopic, handle);
            batches.add(batch);
            await batch.finally(() => batches.delete(batch));
          },
        });
        if (this.closing) return;
        committer.start();
        await ended;
      })();
      try {
        await Promise.race([running, this.closeSignal]);
      } catch (error) {
        if (!this.closing) this.logger.warn(`consumer ${topic}: ${errorText(error)}`);
      }
      entry.state = 'stopped';
      this.lag.keepOnly(subscription.group, topic, []); // a stopped consumer owns nothing
      committer.stop();
      if (this.closing) {
        // Nothing more is fetched (kafkajs refuses a consumer that never ran: it fetches nothing either);
        // the batches in progress stop at their next chunk (handleBatch).
        try {
          consumer.pause([{ topic }]);
        } catch {
          // not running
        }
        await Promise.allSettled(batches);
      }
      // Committed while the consumer is in its group (after a crash it is not: the rest is redelivered, and
      // the inbox skips what was handled), then it leaves.
      await committer.commit();
      await consumer.disconnect().catch(() => undefined);
      // Closing, it may have been abandoned while connecting or joining: disconnected again once that ends.
      if (this.closing)
        void running.catch(() => undefined).finally(() => consumer.disconnect().catch(() => undefined));
      if (!this.closing) await Promise.race([sleep(RESTART_DELAY_MS), this.closeSignal]);
    }
  }

  private async handleBatch(
    payload: EachBatchPayload,
    subscription: Subscription,
    committer: OffsetCommitter,
    isRetryTopic: boolean,
    handle: (work: Work[]) => Promise<void>,
  ): Promise<void> {
    const { batch, heartbeat } = payload;
    const size = isRetryTopic ? 1 : this.config.batchMax;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (this.closing || !payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + size);
      const work: Work[] = [];
      for (const message of chunk) {
        const delivery = { topic: batch.topic, partition: batch.partition, message, heartbeat };
        const found = await this.accept(
          { ...delivery, headers: decodeHeaders(message.headers) },
          subscription,
          isRetryTopic,
        );
        if (found) work.push(found);
      }
      if (work.length > 0) await handle(work);
      this.acknowledge(payload, committer, chunk.at(-1)?.offset);
      await committer.commitIfDue();
      await heartbeat();
    }
  }

  /** Everything before the handler: skip, dead-letter or hand over one message. */
  private async accept(
    delivery: Delivery,
    subscription: Subscription,
    isRetryTopic: boolean,
  ): Promise<Work | undefined> {
    const { headers, message } = delivery;
    const baseTopic = subscription.baseTopic;
    const typeHeader = headers[HEADERS.type];
    // Not ours: skipped unparsed (and not counted under a type a producer chose).
    if (typeHeader !== undefined && !subscription.handlers.has(typeHeader)) {
      messagesConsumed.inc({ topic: baseTopic, type: 'unhandled', outcome: 'ignored' });
      return undefined;
    }
    // A redriven dead letter is meant for the group that dead-lettered it; the retry topic's other groups skip it.
    const redriveGroup = headers[HEADERS.redriveGroup];
    if (isRetryTopic && redriveGroup !== undefined && redriveGroup !== subscription.group) {
      messagesConsumed.inc({ topic: baseTopic, type: 'unhandled', outcome: 'ignored' });
      return undefined;
    }
    if (isRetryTopic) {
      const notBefore = boundedNotBefore(headers[HEADERS.notBefore], Date.now(), this.config.retryDelayMs);
      await this.waitUntil(notBefore, delivery.heartbeat);
    }
    const parsed = parseMessage(message.value?.toString(), new Set(subscription.handlers.keys()));
    if (!parsed.ok) {
      await this.deadLetter(baseTopic, delivery, parsed.code, parsed.reason, subscription.group);
      messagesConsumed.inc({
        topic: baseTopic,
        type: boundedLabel(typeHeader, new Set(subscription.handlers.keys())),
        outcome: 'dead_lettered',
      });
      return undefined;
    }
    const handler = parsed.contract && subscription.handlers.get(parsed.envelope.type);
    if (!handler) {
      messagesConsumed.inc({ topic: baseTopic, type: 'unhandled', outcome: 'ignored' });
      return undefined;
    }
    return { ...delivery, envelope: parsed.envelope, handler };
  }

  /**
   * Marks the chunk done up to its last message: where kafkajs fetches the partition from next, and what
   * the committer commits.
   */
  private acknowledge(payload: EachBatchPayload, committer: OffsetCommitter, lastOffset: string | undefined) {
    if (lastOffset === undefined) return;
    payload.resolveOffset(lastOffset);
    committer.handled(payload.batch.partition, lastOffset);
  }

  /** The messages of one unit: together, or alone when there is one. */
  private async handleUnit(work: Work[], subscription: Subscription): Promise<void> {
    if (work.length > 1) await this.handleTogether(work, subscription);
    else await this.handleAlone(work[0], subscription);
  }

  /**
   * Several messages in one unit of work: one statement to find those already processed, one to record
   * the rest in the inbox, the prefetchers of their types (what the handlers will read, loaded ahead), then
   * each handler in partition order. Any failure rolls the whole unit back and the messages are handled
   * again one by one, so only the failing one is retried or dead-lettered.
   */
  private async handleTogether(work: Work[], subscription: Subscription): Promise<void> {
    let fresh: Work[] = [];
    try {
      await this.unitOfWork.run(async () => {
        fresh = await this.recordInInbox(work, subscription);
        await this.prefetch(fresh, subscription);
        for (const item of fresh) {
          await this.traced(item, subscription, () => this.invoke(item, subscription, this.attemptOf(item)));
        }
      }, CONSUMER_TRANSACTION);
    } catch (error) {
      this.logger.warn(
        `a batch of ${work.length} from ${subscription.baseTopic} failed (${errorText(error)}): handling its messages one by one`,
      );
      for (const item of work) await this.handleAlone(item, subscription);
      return;
    }
    for (const item of work) {
      const outcome = fresh.includes(item) ? 'processed' : 'duplicate';
      messagesConsumed.inc({ topic: subscription.baseTopic, type: item.envelope.type, outcome });
    }
  }

  /** Each prefetcher once, with the batch's new messages of its types, in partition order. */
  private async prefetch(fresh: Work[], subscription: Subscription): Promise<void> {
    const batches = new Map<MessageHandler, Work[]>();
    for (const item of fresh) {
      const prefetcher = subscription.prefetchers.get(item.envelope.type);
      if (prefetcher) batches.set(prefetcher, [...(batches.get(prefetcher) ?? []), item]);
    }
    for (const [prefetcher, items] of batches) {
      const envelopes = items.map((item) => item.envelope);
      await inBatchSpan(
        subscription.baseTopic,
        items.map((item) => item.headers),
        async () =>
          lastValueFrom(this.transformToObservable(await prefetcher(envelopes)), { defaultValue: undefined }),
      );
    }
  }

  /** The batch's inbox rows: those not seen before (nor earlier in the batch), recorded in one statement. */
  private async recordInInbox(work: Work[], subscription: Subscription): Promise<Work[]> {
    const manager = this.unitOfWork.transactional('inbox');
    const ids = work.map((item) => item.envelope.id);
    const rows = (await manager.query(
      'SELECT message_id FROM inbox_messages WHERE consumer_group = ? AND message_id IN (?)',
      [subscription.group, ids],
    )) as { message_id: string }[];
    const seen = new Set(rows.map((row) => row.message_id));
    const fresh: Work[] = [];
    for (const item of work) {
      if (seen.has(item.envelope.id)) continue;
      seen.add(item.envelope.id); // the same message twice in one batch runs once
      fresh.push(item);
    }
    const processedAt = new Date();
    await insertRows(
      manager,
      InboxMessageEntity,
      fresh.map((item) => ({
        consumerGroup: subscription.group,
        messageId: item.envelope.id,
        topic: subscription.baseTopic,
        processedAt,
      })),
    );
    return fresh;
  }

  /** One message in its own unit of work, with local retries, the retry topic and the dead-letter topic. */
  private async handleAlone(item: Work, subscription: Subscription): Promise<void> {
    const firstAttempt = this.attemptOf(item);
    await this.traced(item, subscription, () => this.handleWithRetries(item, subscription, firstAttempt));
  }

  /** Its `fapiao-attempt`, within the attempts the runner ever makes (a forged count is bounded). */
  private attemptOf(item: Work): number {
    const { localRetries, retryRounds } = this.config;
    return boundedAttempt(item.headers[HEADERS.attempt], (localRetries + 1) * (retryRounds + 1));
  }

  /** The message's process span, a child of its producer's: the handler's spans nest under it. */
  private async traced<T>(item: Work, subscription: Subscription, work: () => Promise<T>): Promise<T> {
    const { envelope } = item;
    const { span, ctx } = processContext(subscription.baseTopic, envelope.key, envelope.id, item.headers, {
      'messaging.consumer.group.name': subscription.group,
      'messaging.destination.partition.id': String(item.partition),
      'messaging.kafka.offset': Number(item.message.offset),
      'fapiao.message.type': envelope.type,
      'fapiao.tenant_id': envelope.tenantId,
    });
    try {
      return await withContext(ctx, work);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
  }

  private async handleWithRetries(
    item: Work,
    subscription: Subscription,
    firstAttempt: number,
  ): Promise<void> {
    const { envelope } = item;
    const labels = { topic: subscription.baseTopic, type: envelope.type };
    for (let local = 0; ; local += 1) {
      const attempt = firstAttempt + local;
      const stopTimer = handlerDuration.startTimer(labels);
      try {
        const outcome = await this.handleOnce(item, subscription, attempt);
        stopTimer();
        messagesConsumed.inc({ ...labels, outcome });
        return;
      } catch (error) {
        stopTimer();
        const reason = error instanceof Error ? error.message : String(error);
        const code = failureCode(error);
        if (classify(error) === 'poison') {
          this.logger.warn(`${envelope.type} ${envelope.id} is poison (${code}): ${reason}`);
          await this.deadLetter(subscription.baseTopic, item, code, reason, subscription.group);
          messagesConsumed.inc({ ...labels, outcome: 'dead_lettered' });
          return;
        }
        if (local < this.config.localRetries) {
          await sleep(Math.min(100 * 4 ** local, 5_000) * (0.5 + Math.random() / 2));
          await item.heartbeat();
          continue;
        }
        const round = Math.floor((attempt - 1) / (this.config.localRetries + 1));
        if (round < this.config.retryRounds) {
          await this.sendToRetry(subscription.baseTopic, item, attempt + 1, code, reason);
          messagesConsumed.inc({ ...labels, outcome: 'retried' });
        } else {
          this.logger.error(`${envelope.type} ${envelope.id} failed after ${attempt} attempts: ${reason}`);
          await this.deadLetter(
            subscription.baseTopic,
            item,
            code,
            `retries exhausted: ${reason}`,
            subscription.group,
          );
          messagesConsumed.inc({ ...labels, outcome: 'dead_lettered' });
        }
        return;
      }
    }
  }

  /** One unit of work, owned here: the inbox row and the effects of the handler, which enlists in it. */
  private async handleOnce(
    item: Work,
    subscription: Subscription,
    attempt: number,
  ): Promise<'processed' | 'duplicate'> {
    return this.unitOfWork.run<'processed' | 'duplicate'>(async () => {
      try {
        await this.unitOfWork.transactional('inbox').insert(InboxMessageEntity, {
          consumerGroup: subscription.group,
          messageId: item.envelope.id,
          topic: subscription.baseTopic,
          processedAt: new Date(),
        });
      } catch (error) {
        if (isDuplicateEntry(error)) return 'duplicate';
        throw error;
      }
      await this.invoke(item, subscription, attempt);
      return 'processed';
    }, CONSUMER_TRANSACTION);
  }

  /** Runs the handler in the open unit of work. */
  private async invoke(item: Work, subscription: Subscription, attempt: number): Promise<void> {
    const stopTimer = handlerDuration.startTimer({ topic: subscription.baseTopic, type: item.envelope.type });
    try {
      const context = new MessageContext([
        {
          envelope: item.envelope,
          topic: item.topic,
          partition: item.partition,
          offset: item.message.offset,
          attempt,
        },
      ]);
      await lastValueFrom(this.transformToObservable(await item.handler(item.envelope, context)), {
        defaultValue: undefined,
      });
    } finally {
      stopTimer();
    }
  }

  private async sendToRetry(
    baseTopic: BaseTopic,
    { message, headers }: Delivery,
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

  /**
   * Records the dead letter for operators (idempotent per delivery) before writing it to `.dlq`: a crash in
   * between redelivers the message and does both again. Its inbox row was rolled back with the handler's
   * effects (or never written), so a redriven copy with the same id is handled once.
   */
  private async deadLetter(
    baseTopic: BaseTopic,
    delivery: Delivery,
    code: string,
    reason: string,
    group: string,
  ): Promise<void> {
    const { message, headers } = delivery;
    await this.deadLetters.record({
      consumerGroup: group,
      topic: baseTopic,
      sourceTopic: delivery.topic,
      partition: delivery.partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? '',
      headers,
      errorCode: code,
      errorReason: reason,
    });
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
              [HEADERS.originalTopic]: delivery.topic,
              [HEADERS.originalPartition]: String(delivery.partition),
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
