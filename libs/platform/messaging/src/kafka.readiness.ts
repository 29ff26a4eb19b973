import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { logLevel, type Admin } from 'kafkajs';
import { KAFKA_CONFIG, type KafkaConfig } from '@fapiao/platform/config';
import type { ReadinessCheck } from '@fapiao/platform/health';
import { createKafka } from './kafka-client';

const CHECK_TIMEOUT_MS = 3_000;

/**
 * Ready when the cluster answers a metadata request. Uses its own admin client without retries so an
 * outage shows within one probe period, and reconnects on the next probe once the brokers are back.
 */
@Injectable()
export class KafkaReadiness implements ReadinessCheck, OnApplicationShutdown {
  private readonly admin: Admin;

  constructor(
    @Inject(KAFKA_CONFIG) config: KafkaConfig,
    private readonly indicator: HealthIndicatorService,
  ) {
    this.admin = createKafka(config, {
      clientId: `${config.clientId}-readiness`,
      retry: { retries: 0 },
      connectionTimeout: CHECK_TIMEOUT_MS,
      requestTimeout: CHECK_TIMEOUT_MS,
      // A failed probe is reported by /readyz itself; kafkajs's own error lines would repeat it every probe.
      logLevel: logLevel.NOTHING,
    }).admin();
  }

  check(): PromiseLike<HealthIndicatorResult> {
    return this.indicator
      .check('kafka')
      .attempt(async () => {
        try {
          await this.admin.connect();
          const cluster = await this.admin.describeCluster();
          return { brokers: cluster.brokers.length };
        } catch (error) {
          // Drop the half-open connection so the next probe starts clean.
          await this.admin.disconnect().catch(() => undefined);
          throw error;
        }
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}
