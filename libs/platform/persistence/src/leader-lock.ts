import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Leadership among a service's replicas: a MariaDB/MySQL named lock held on a connection of its own, so
 * it ends with that connection (a crashed or partitioned leader loses it and another replica takes over).
 * Holding is re-verified at most every `verifyEveryMs`, not on every round: a leader that lost its
 * connection finds out on its next check or on its next failing statement.
 */
export class LeaderLock {
  private holder?: QueryRunner;
  private verifiedAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    readonly name: string,
    private readonly verifyEveryMs = 5_000,
  ) {}

  get held(): boolean {
    return this.holder !== undefined;
  }

  /** True while this replica leads: takes the lock if it is free, keeps it if it is ours. */
  async hold(now = Date.now()): Promise<boolean> {
    if (this.holder) {
      if (now - this.verifiedAt < this.verifyEveryMs) return true;
      if (await this.stillHeld(this.holder)) {
        this.verifiedAt = now;
        return true;
      }
      await this.release();
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      const [{ acquired }] = await runner.query('SELECT GET_LOCK(?, 0) AS acquired', [this.name]);
      if (Number(acquired) === 1) {
        this.holder = runner;
        this.verifiedAt = now;
        return true;
      }
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
    await runner.release();
    return false;
  }

  /** A lost connection (a failover, a network cut) has lost the lock with it. */
  private async stillHeld(holder: QueryRunner): Promise<boolean> {
    try {
      const [{ held }] = await holder.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS held', [this.name]);
      return Number(held) === 1;
    } catch {
      return false;
    }
  }

  /** Gives leadership up (after a failure, so another replica can take over, or at shutdown). */
  async release(): Promise<void> {
    const runner = this.holder;
    this.holder = undefined;
    if (!runner) return;
    await runner.query('SELECT RELEASE_LOCK(?)', [this.name]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }
}
