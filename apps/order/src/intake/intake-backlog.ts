import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { InvoiceRequested } from '@fapiao/contracts';
import { KafkaConsumerServer } from '@fapiao/platform/messaging';
import { BackgroundWorker, Clock } from '@fapiao/platform/resilience';
import { OrderRepository } from '../domain/order.repository';
import { ORDER_CONFIG, type OrderConfig } from '../order.config';
import { Backlog, type Admission } from './backlog';

const backlogGauge = new Gauge({
  name: 'fapiao_order_backlog',
  help: 'Orders accepted and not yet invoiced or rejected (as this replica estimates it), and its ceiling',
  labelNames: ['kind'],
});

/**
 * Keeps intake fast when more is offered than the suite can invoice (architecture.md §9): orders enter the
 * durable pipeline up to ORDER_MAX_BACKLOG in flight; beyond it `POST /v1/orders` answers 429 with a
 * Retry-After (IntakeBacklogGuard) and Kafka requests wait in their topic (its consumer is paused), so
 * the backlog drains at full rate instead of every stage slowing down together.
 */
@Injectable()
export class IntakeBacklog extends BackgroundWorker {
  private readonly backlog: Backlog;
  private ingestPaused = false;

  constructor(
    private readonly orders: OrderRepository,
    private readonly consumers: KafkaConsumerServer,
    private readonly clock: Clock,
    @Inject(ORDER_CONFIG) private readonly config: OrderConfig,
  ) {
    super(IntakeBacklog.name);
    this.backlog = new Backlog(config.maxBacklog);
    backlogGauge.set({ kind: 'max' }, config.maxBacklog);
  }

  admit(): Admission {
    return this.backlog.admit();
  }

  protected async round(): Promise<number> {
    this.backlog.sample(await this.orders.countInFlight(), this.clock.now());
    backlogGauge.set({ kind: 'in_flight' }, this.backlog.estimate);
    if (this.backlog.full !== this.ingestPaused) {
      this.ingestPaused = this.backlog.full;
      const topic = InvoiceRequested.topic;
      if (this.ingestPaused) this.consumers.pause(topic);
      else this.consumers.resume(topic);
      this.logger.log(
        `${this.backlog.estimate} orders in flight (ceiling ${this.backlog.max}): intake ${this.ingestPaused ? 'refused' : 'open again'}`,
      );
    }
    return this.config.backlogSampleMs;
  }
}
