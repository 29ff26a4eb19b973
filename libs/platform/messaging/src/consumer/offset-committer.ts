import type { Consumer } from 'kafkajs';

/**
 * The offsets of one consumer's handled messages, committed to Kafka at most once per `intervalMs` rather than
 * after every batch (an OffsetCommit costs the broker about what a produce does). Only offsets whose effects
 * are committed are ever recorded (`handled`), so a crash or a rebalance before the next commit redelivers at
 * most `intervalMs` of messages, which the inbox skips. Commits run one at a time, each sending the latest
 * offsets, so a committed offset never goes back.
 */
export class OffsetCommitter {
  /** By partition: the next offset to read, once every message before it is handled. */
  private readonly pending = new Map<number, string>();
  private inFlight: Promise<void> = Promise.resolve();
  private lastCommitAt: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: Pick<Consumer, 'commitOffsets'>,
    private readonly topic: string,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.lastCommitAt = now();
  }

  /** Every message of the partition up to `offset` is handled and its effects committed. */
  handled(partition: number, offset: string): void {
    this.pending.set(partition, (BigInt(offset) + 1n).toString());
  }

  /** Only these partitions are still this consumer's (after a rebalance): the others' offsets are dropped. */
  keepOnly(partitions: number[]): void {
    for (const partition of this.pending.keys())
      if (!partitions.includes(partition)) this.pending.delete(partition);
  }

  /** Commits if the interval has passed since the last commit (0: every time). */
  commitIfDue(): Promise<void> {
    return this.now() - this.lastCommitAt >= this.intervalMs ? this.commit() : Promise.resolve();
  }

  /** Commits what is handled now, after any commit in flight. */
  commit(): Promise<void> {
    this.inFlight = this.inFlight.then(() => this.send());
    return this.inFlight;
  }

  /** Commits on a timer too, so an idle consumer's last offsets do not wait for its next batch. */
  start(): void {
    this.timer ??= setInterval(() => void this.commitIfDue(), Math.max(this.intervalMs, 100));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async send(): Promise<void> {
    this.lastCommitAt = this.now();
    if (this.pending.size === 0) return;
    const offsets = [...this.pending].map(([partition, offset]) => ({
      topic: this.topic,
      partition,
      offset,
    }));
    this.pending.clear();
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (error) {
      // A rebalance took the partitions (their new owner starts from the last commit) or the broker is away:
      // kept for the next commit unless newer offsets came meanwhile.
      for (const { partition, offset } of offsets)
        if (!this.pending.has(partition)) this.pending.set(partition, offset);
      this.onError(error);
    }
  }
}
