interface Submission<T> {
  items: T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the chunks of a fetch's partitions into shared units of work. kafkajs hands every partition
 * batch of a fetch to its workers in the same turn of the event loop, so the chunks submitted before the
 * next turn are run together: whole chunks in submission order, at most `max` items a unit (a chunk is
 * never split, so one larger than `max` runs alone), one unit at a time. Chunks submitted while a unit
 * runs wait and are gathered into the next. A submission settles as its unit does.
 */
export class ChunkGatherer<T> {
  private pending: Submission<T>[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly max: number,
    private readonly run: (items: T[]) => Promise<void>,
  ) {}

  submit(items: T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (const unit of this.units(this.pending.splice(0))) {
      try {
        await this.run(unit.flatMap((submission) => submission.items));
        for (const submission of unit) submission.resolve();
      } catch (error) {
        for (const submission of unit) submission.reject(error);
      }
    }
    this.running = false;
    this.schedule();
  }

  private units(submissions: Submission<T>[]): Submission<T>[][] {
    const units: Submission<T>[][] = [];
    let size = 0;
    for (const submission of submissions) {
      const last = units.at(-1);
      if (last && size + submission.items.length <= this.max) {
        last.push(submission);
        size += submission.items.length;
      } else {
        units.push([submission]);
        size = submission.items.length;
      }
    }
    return units;
  }
}
