import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import { KAFKA_CONFIG, type KafkaConfig } from '@fapiao/platform/config';
import { createKafka } from './kafka-client';

/**
 * The service's one idempotent producer (acks=all, ordered per partition), used by the outbox relay and
 * for dead-lettering. Connects lazily so a broker outage at boot does not stop the service from starting.
 */
@Injectable()
export class KafkaProducerService implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaProducerService.name);
  private readonly producer: Producer;
  private connecting?: Promise<void>;

  constructor(@Inject(KAFKA_CONFIG) config: KafkaConfig) {
    this.producer = createKafka(config).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning: the same key lands on the same partition as other clients'.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connecting = undefined;
    });
  }

  private async connected(): Promise<Producer> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    await this.connecting;
    return this.producer;
  }

  async sendBatch(topicMessages: TopicMessages[]): Promise<void> {
    const producer = await this.connected();
    await producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer
      .disconnect()
      .catch((error: unknown) => this.logger.warn(`producer disconnect: ${String(error)}`));
  }
}
