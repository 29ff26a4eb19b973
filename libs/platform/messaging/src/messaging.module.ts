import { Global, Module } from '@nestjs/common';
import { KafkaProducerService } from './kafka-producer.service';
import { KafkaConsumerServer } from './consumer/kafka-consumer.server';
import { MESSAGING_CONFIG, messagingConfig } from './messaging.config';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';

/** Outbox writer and relay, the producer, and the consumer transport (connected by runService). */
@Global()
@Module({
  providers: [
    { provide: MESSAGING_CONFIG, useFactory: () => messagingConfig.read() },
    OutboxWriter,
    KafkaProducerService,
    OutboxRelay,
    KafkaConsumerServer,
  ],
  exports: [OutboxWriter, OutboxRelay, KafkaConsumerServer, KafkaProducerService],
})
export class MessagingModule {}
