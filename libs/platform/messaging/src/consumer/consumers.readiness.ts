import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { ReadinessCheck } from '@fapiao/platform/health';
import { KafkaConsumerServer } from './kafka-consumer.server';

/** Ready when every consumer has joined its group. */
@Injectable()
export class ConsumersReadiness implements ReadinessCheck {
  constructor(
    private readonly server: KafkaConsumerServer,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const states = this.server.states();
    const session = this.indicator.check('consumers');
    return Object.values(states).every((state) => state === 'running')
      ? session.up(states)
      : session.down(states);
  }
}
