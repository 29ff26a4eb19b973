import { Global, Module } from '@nestjs/common';
import { ClockModule } from '@fapiao/platform/resilience';
import { KafkaProducerService } from './kafka-producer.service';
import { KafkaConsumerServer } from './consumer/kafka-consumer.server';
import { DeadLetterStore } from './dead-letters/dead-letter.store';
import { MESSAGING_CONFIG, messagingConfig } from './messaging.config';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { MessagingPurge } from './retention/messaging-purge';
import { TENANT_DIRECTORY_CONFIG, TenantDirectory, tenantDirectoryConfig } from './tenants/tenant-directory';

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
    DeadLetterStore,
    { provide: TENANT_DIRECTORY_CONFIG, useFactory: () => tenantDirectoryConfig.read() },
    TenantDirectory,
  ],
  exports: [
    OutboxWriter,
    OutboxRelay,
    MessagingPurge,
    KafkaConsumerServer,
    KafkaProducerService,
    TenantDirectory,
    DeadLetterStore,
  ],
})
export class MessagingModule {}
