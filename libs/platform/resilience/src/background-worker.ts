import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { InterruptibleSleep } from './interruptible-sleep';

export const backgroundWorkerFailures = new Counter({
  name: 'fapiao_background_worker_failures_total',
  help: 'Rounds of a background loop (outbox relay, forwarder, sweeps, purges) that failed and were retried',
  labelNames: ['worker'],
});

export const backgroundWorkerLeader = new Gauge({
  name: 'fapiao_background_worker_leader',
  help: '1 while this replica leads a loop that runs on one replica at a time (e.g. the outbox relay)',
  labelNames: ['worker'],
});

/** What a loop that runs on one replica at a time holds (LeaderLock in platform/persistence). */
export interface Leadership {
  hold(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A loop beside a service's requests (outbox relay, tax-bridge's forwarder, sweeps, purges): started after
 * bootstrap, stopped before shutdown (TypeORM closes its DataSource on shutdown) with the round in flight
 * awaited, woken early by `wake()`. A round that fails is logged, counted and retried after
 * `failureBackoffMs` — never a rejection nobody handles, which would end the process.
 */
export abstract class BackgroundWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;
  private readonly idle = new InterruptibleSleep();

  /**
   * `workerName`: the log context and the metrics' `worker` label (the class name). With `leadership`,
   * rounds run only while this replica leads; a failed round or a stop gives leadership up.
   */
  protected constructor(
    private readonly workerName: string,
    private readonly leadership?: Leadership,
  ) {
    this.logger = new Logger(workerName);
  }

  /** How long a replica that does not lead waits before trying again. */
  protected followerRetryMs(): number {
    return 1_000;
  }

  /** One round of work; resolves with how long to idle before the next (0: at once). */
  protected abstract round(): Promise<number>;

  /** How long to wait after a failed round. */
  protected failureBackoffMs(): number {
    return 1_000;
  }

  /** After a failed round, before the back-off (e.g. give up a lock held for the work). */
  protected afterFailure(): Promise<void> {
    return Promise.resolve();
  }

  /** Once the loop has ended: what must not outlive it (in-flight work, a lock). */
  protected afterStop(): Promise<void> {
    return Promise.resolve();
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Ends the loop after the round in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.idle.wake();
    await this.loop;
    this.loop = undefined;
    await this.afterStop();
    await this.resign();
  }

  /** New work: end the idle wait now. */
  wake(): void {
    this.idle.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let idleMs: number;
      try {
        idleMs = (await this.lead()) ? await this.round() : this.followerRetryMs();
      } catch (error) {
        backgroundWorkerFailures.inc({ worker: this.workerName });
        idleMs = this.failureBackoffMs();
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn(`round failed (${reason}); next in ${idleMs} ms`);
        await this.afterFailure().catch(() => undefined);
        // Another replica takes over while this one cannot reach the database or the broker.
        await this.resign().catch(() => undefined);
      }
      if (idleMs > 0 && this.running) await this.idle.sleep(idleMs);
    }
  }

  private async lead(): Promise<boolean> {
    if (!this.leadership) return true;
    const leads = await this.leadership.hold();
    backgroundWorkerLeader.set({ worker: this.workerName }, leads ? 1 : 0);
    return leads;
  }

  private async resign(): Promise<void> {
    if (!this.leadership) return;
    backgroundWorkerLeader.set({ worker: this.workerName }, 0);
    await this.leadership.release();
  }
}
