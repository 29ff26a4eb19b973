import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from '@fapiao/platform/auth';
import { ServiceConfigModule, type ServiceIdentity } from '@fapiao/platform/config';
import { HealthModule, type ReadinessCheck } from '@fapiao/platform/health';
import { ErrorFilter } from '@fapiao/platform/http';
import {
  ConsumersReadiness,
  KafkaConsumerServer,
  KafkaReadiness,
  MessagingModule,
} from '@fapiao/platform/messaging';
import { LoggingModule, MetricsModule } from '@fapiao/platform/observability';
import { DatabaseReadiness, PersistenceModule, type SchemaDefinition } from '@fapiao/platform/persistence';
import { ClockModule } from '@fapiao/platform/resilience';

export interface PlatformOptions {
  service: ServiceIdentity;
  /** The service's entities and migrations in its own MySQL schema. */
  schema: SchemaDefinition;
  /** Whether the service talks to Kafka (all but the authority simulator). */
  kafka: boolean;
  /** Whether routes are protected by JWT verification through the auth service's JWKS. */
  auth: boolean;
  /** The service's own readiness checks, besides database, Kafka and consumers. */
  readiness?: Type<ReadinessCheck>[];
}

/** The consumer transport runService connects, or null for a service without Kafka. */
export const CONSUMER_TRANSPORT = 'fapiao:consumer-transport';

/** Everything every fapiao service has: config, clock, logs, metrics, health, MySQL, Kafka, auth, error mapping. */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const checks: Type<ReadinessCheck>[] = [DatabaseReadiness];
    const imports: DynamicModule['imports'] = [
      ServiceConfigModule.forService(options.service, {
        database: true,
        kafka: options.kafka,
        authVerify: options.auth,
      }),
      ClockModule,
      LoggingModule,
      MetricsModule,
      PersistenceModule.forRoot(options.schema),
    ];
    if (options.kafka) {
      imports.push(MessagingModule);
      checks.push(KafkaReadiness, ConsumersReadiness);
    }
    if (options.auth) imports.push(AuthModule);
    imports.push(HealthModule.forRoot([...checks, ...(options.readiness ?? [])]));
    return {
      module: PlatformModule,
      imports,
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        options.kafka
          ? { provide: CONSUMER_TRANSPORT, useExisting: KafkaConsumerServer }
          : { provide: CONSUMER_TRANSPORT, useValue: null },
      ],
    };
  }
}
