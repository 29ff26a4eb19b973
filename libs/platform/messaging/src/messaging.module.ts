import { Global, Module } from '@nestjs/common';
import { ClockModule } from '@fapiao/platform/resilience';
import { KafkaProducerService } from './kafka-producer.service';
import { KafkaConsumerServer } from './consumer/kafka-consumer.server';
import { MESSAGING_CONFIG, messagingConfig } from './messaging.config';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { MessagingPurge } from './retention/messaging-purge';

/** Outbox writer and relay, their purge, the producer, and the consumer transport (connected by runService). */
@Global()
@Module({
  imports: [ClockModule],
  providers: [
    { provide: MESSAGING_CONFIG, useFactory: () => messagingConfig.read() },
    OutboxWriter,
    KafkaProducerService,
    OutboxRelay,
    MessagingPurge,
    KafkaConsumerServer,
  ],
  exports: [OutboxWriter, OutboxRelay, MessagingPurge, KafkaConsumerServer, KafkaProducerService],
})
export class MessagingModule {}
