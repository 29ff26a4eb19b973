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
  /**
   * What a Kafka outage does to `/readyz`: `not-ready` (503; the default, for services whose work is
   * consuming) or `degraded` (200 with kafka and consumers named as degraded; for a service that accepts
   * its work into the outbox and publishes it when Kafka returns, like order).
   */
  whileKafkaDown?: 'not-ready' | 'degraded';
  /**
   * Dependencies shown on `/health/deps` only (e.g. tax-bridge's authority), never failing readiness;
   * providers of the app module, which lists them among its own providers too.
   */
  dependencies?: Type<ReadinessCheck>[];
}

let bootIdentity: ServiceIdentity | undefined;

/** The service the app module was built for: runService reads its port before the app is created. */
export function platformServiceIdentity(): ServiceIdentity | undefined {
  return bootIdentity;
}

/** The consumer transport runService connects, or null for a service without Kafka. */
export const CONSUMER_TRANSPORT = 'fapiao:consumer-transport';

/** Everything every fapiao service has: config, clock, logs, metrics, health, MySQL, Kafka, auth, error mapping. */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    bootIdentity = options.service;
    const required: Type<ReadinessCheck>[] = [DatabaseReadiness];
    const degradable: Type<ReadinessCheck>[] = [];
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
      (options.whileKafkaDown === 'degraded' ? degradable : required).push(
        KafkaReadiness,
        ConsumersReadiness,
      );
    }
    if (options.auth) imports.push(AuthModule);
    imports.push(
      HealthModule.forRoot({
        service: options.service.name,
        required: [...required, ...(options.readiness ?? [])],
        degradable,
        informational: options.dependencies ?? [],
      }),
    );
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
