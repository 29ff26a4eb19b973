import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { BackgroundWorker } from '@fapiao/platform/resilience';
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
export class StaleOrderSweep extends BackgroundWorker {
  constructor(
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECON_CONFIG) private readonly config: ReconConfig,
  ) {
    super(StaleOrderSweep.name);
  }

  protected async round(): Promise<number> {
    await this.sweepOnce();
    return this.config.sweepIntervalMs;
  }

  protected override failureBackoffMs(): number {
    return this.config.sweepIntervalMs;
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
