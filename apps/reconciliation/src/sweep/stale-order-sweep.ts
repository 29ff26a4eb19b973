import { Inject, Injectable } from '@nestjs/common';
import { UnitOfWork } from '@fapiao/platform/persistence';
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
    private readonly unitOfWork: UnitOfWork,
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

  /** One batch, in one transaction: the stale orders stay locked until their discrepancies are written. */
  sweepOnce(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.staleAfterMs);
    return this.unitOfWork.run(() => this.ledger.flagStale(cutoff, BATCH));
  }
}
