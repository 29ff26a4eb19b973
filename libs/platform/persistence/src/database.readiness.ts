import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import type { ReadinessCheck } from '@fapiao/platform/health';

const CHECK_TIMEOUT_MS = 2_000;

/** Ready when the database answers and no migration is pending (the schema the code expects exists). */
@Injectable()
export class DatabaseReadiness implements ReadinessCheck {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(): PromiseLike<HealthIndicatorResult> {
    return this.indicator
      .check('database')
      .attempt(async () => {
        await this.dataSource.query('SELECT 1');
        if (await this.dataSource.showMigrations()) throw new Error('migrations pending');
        return { database: this.dataSource.options.database as string };
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }
}
