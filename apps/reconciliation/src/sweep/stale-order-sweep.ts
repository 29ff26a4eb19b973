import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { LedgerService } from '../ledger.service';
import { RECON_CONFIG, type ReconConfig } from '../recon.config';

const BATCH = 500;

/**
 * Periodically turns stale orders into discrepancies: no terminal invoice RECON_STALE_AFTER_MS after being
 * placed (NO_TERMINAL_INVOICE), cancelled that long ago with the invoice still not fully reversed
 * (CANCELLED_NOT_REVERSED), or a red-letter invoice reported that long ago by one side only
 * (REVERSAL_ONE_SIDED).
 */
@Injectable()
export class StaleOrderSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StaleOrderSweep.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECON_CONFIG) private readonly config: ReconConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweepOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`stale-order sweep: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.sweepIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweepOnce(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.staleAfterMs);
    const flagged = await this.dataSource.transaction((manager) =>
      this.ledger.flagStale(manager, cutoff, BATCH),
    );
    if (flagged > 0) this.outbox.notifyCommitted();
    return flagged;
  }
}
