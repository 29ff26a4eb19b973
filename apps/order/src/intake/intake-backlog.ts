import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { InvoiceRequested } from '@fapiao/contracts';
import { KafkaConsumerServer } from '@fapiao/platform/messaging';
import { GroupCommit } from '@fapiao/platform/persistence';
import { BackgroundWorker, Clock } from '@fapiao/platform/resilience';
import { OrderRepository } from '../domain/order.repository';
import { ORDER_CONFIG, type OrderConfig } from '../order.config';
import { Backlog, type Admission } from './backlog';

/** The backlog's answer, or a refusal because a new order would queue too long for its transaction. */
export type IntakeAdmission = Admission | { admitted: false; waitMs: number; retryAfterS: number };

const backlogGauge = new Gauge({
  name: 'fapiao_order_backlog',
  help: 'Orders accepted and not yet invoiced or rejected (as last counted), and its ceiling',
  labelNames: ['kind'],
});

/**
 * Keeps intake fast when more is offered than the suite can invoice (architecture.md §9): orders enter the
 * durable pipeline up to ORDER_MAX_BACKLOG in flight; beyond it `POST /v1/orders` answers 429 with a
 * Retry-After (IntakeBacklogGuard) and Kafka requests wait in their topic (its consumer is paused), so
 * the backlog drains at full rate instead of every stage slowing down together. Orders are also refused
 * while a new one would queue for its transaction ORDER_MAX_INTAKE_WAIT_MS or longer (a burst faster than
 * intake can store), so that an answer, accepted or 429, stays fast.
 */
@Injectable()
export class IntakeBacklog extends BackgroundWorker {
  private readonly backlog: Backlog;
  private ingestPaused = false;
  /** Orders admitted and not answered yet: those ahead of a new one, wherever they are in the request. */
  private unanswered = 0;

  constructor(
    private readonly orders: OrderRepository,
    private readonly groupCommit: GroupCommit,
    private readonly consumers: KafkaConsumerServer,
    private readonly clock: Clock,
    @Inject(ORDER_CONFIG) private readonly config: OrderConfig,
  ) {
    super(IntakeBacklog.name);
    this.backlog = new Backlog(config.maxBacklog, config.backlogSampleMs);
    backlogGauge.set({ kind: 'max' }, config.maxBacklog);
  }

  /**
   * The intake's own queue first: an order admitted behind many unanswered ones would be answered late
   * (their group commits share the database with the pipeline), so new ones are refused until the queue
   * catches up; then the backlog's ceiling. An admitted order must be `answered()`.
   */
  admit(): IntakeAdmission {
    const waitMs = Math.round(this.groupCommit.expectedWaitMs(this.unanswered));
    if (waitMs >= this.config.maxIntakeWaitMs) return { admitted: false, waitMs, retryAfterS: 1 };
    const admission = this.backlog.admit(this.clock.now());
    if (admission.admitted) this.unanswered += 1;
    return admission;
  }

  /** An admitted order was answered (or its client went away). */
  answered(): void {
    this.unanswered -= 1;
  }

  protected async round(): Promise<number> {
    const inFlight = await this.orders.countInFlight();
    const now = this.clock.now();
    this.backlog.sample(inFlight, now);
    backlogGauge.set({ kind: 'in_flight' }, inFlight);
    if (this.backlog.full(now) !== this.ingestPaused) {
      this.ingestPaused = !this.ingestPaused;
      const topic = InvoiceRequested.topic;
      if (this.ingestPaused) this.consumers.pause(topic);
      else this.consumers.resume(topic);
      this.logger.log(
        `${inFlight} orders in flight (ceiling ${this.backlog.max}): intake ${this.ingestPaused ? 'refused' : 'open again'}`,
      );
    }
    return this.config.backlogSampleMs;
  }
}
