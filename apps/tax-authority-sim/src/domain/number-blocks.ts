/**
 * Reserves `size` sequence numbers of `prefix` for this process alone and returns the last of them: the
 * block is `last - size + 1 .. last`. Must be durable before it returns (committed on its own, never in
 * a transaction that could roll back after numbers of the block were handed out).
 */
export type ReserveBlock = (prefix: string, size: number) => Promise<bigint>;

interface Block {
  next: bigint;
  last: bigint;
}

/**
 * Hands out invoice sequence numbers from blocks reserved per prefix, in memory: one statement per
 * `blockSize` numbers instead of a locked row per invoice. Unique across requests, replicas and restarts
 * (every block is reserved durably before use); not gapless — the rest of a block is lost when the
 * process stops, and a number taken for an invoice that is then not issued is not reused.
 */
export class NumberBlocks {
  private readonly blocks = new Map<string, Block>();
  /** One reservation at a time per prefix: concurrent takers wait for it rather than reserving twice. */
  private readonly reserving = new Map<string, Promise<void>>();

  constructor(
    private readonly reserve: ReserveBlock,
    readonly blockSize: number,
  ) {
    if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`block size ${blockSize}`);
  }

  /** `count` unused sequence numbers of `prefix`, ascending. */
  async take(prefix: string, count = 1): Promise<bigint[]> {
    const taken: bigint[] = [];
    while (taken.length < count) {
      const block = this.blocks.get(prefix);
      // Synchronous between awaits: no other taker can hand out the same number.
      while (block && block.next <= block.last && taken.length < count) taken.push(block.next++);
      if (taken.length < count) await this.refill(prefix, count - taken.length);
    }
    return taken;
  }

  private refill(prefix: string, needed: number): Promise<void> {
    const pending = this.reserving.get(prefix);
    if (pending) return pending;
    const size = Math.max(this.blockSize, needed);
    const reservation = this.reserve(prefix, size)
      .then((last) => void this.blocks.set(prefix, { next: last - BigInt(size) + 1n, last }))
      .finally(() => this.reserving.delete(prefix));
    this.reserving.set(prefix, reservation);
    return reservation;
  }
}
