import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import { InterruptibleSleep } from './interruptible-sleep';

export const backgroundWorkerFailures = new Counter({
  name: 'fapiao_background_worker_failures_total',
  help: 'Rounds of a background loop (outbox relay, forwarder, sweeps, purges) that failed and were retried',
  labelNames: ['worker'],
});

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

  /** `workerName`: the log context and the metric's `worker` label (the class name). */
  protected constructor(private readonly workerName: string) {
    this.logger = new Logger(workerName);
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
    await this.afterStop();
  }

  /** New work: end the idle wait now. */
  wake(): void {
    this.idle.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let idleMs: number;
      try {
        idleMs = await this.round();
      } catch (error) {
        backgroundWorkerFailures.inc({ worker: this.workerName });
        idleMs = this.failureBackoffMs();
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn(`round failed (${reason}); next in ${idleMs} ms`);
        await this.afterFailure().catch(() => undefined);
      }
      if (idleMs > 0 && this.running) await this.idle.sleep(idleMs);
    }
  }
}
