import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** TypeORM's isolation levels (its type is not exported from the package root). */
type IsolationLevel = Parameters<DataSource['transaction']>[0];

interface Transaction {
  manager: EntityManager;
  afterCommit: Set<() => void>;
  /** Rows written in one statement just before commit, by kind (see `batched`). */
  batches: Map<symbol, { rows: unknown[]; flush: (rows: unknown[]) => Promise<unknown> }>;
  /** Reads loaded ahead for many keys at once (see `remember`), by kind, then key. */
  remembered: Map<symbol, Map<string, unknown>>;
}

/** One per process, not per instance: a transaction belongs to the async context that opened it. */
const storage = new AsyncLocalStorage<Transaction>();

const nextBatch = (transaction: Transaction) =>
  [...transaction.batches.values()].find((batch) => batch.rows.length > 0);

/**
 * The transaction of the work in progress, carried by the async context instead of a parameter: use
 * cases and process managers call `run`, repositories (infrastructure only) take `manager()`, and
 * whoever writes something that needs a reaction after commit (the outbox waking its relay) registers it
 * with `afterCommit`. A `run` inside a `run` joins the outer transaction, so a consumer runner can own
 * the transaction and the handlers it calls enlist in it. Rows nobody reads back in the same transaction
 * (outbox messages) can be `batched`: written in one statement at the end, however many handlers added.
 * Reads can go the other way: a consumer batch loads the rows its handlers will read in one statement up
 * front (`remember`), and each handler's first read of a key takes its row from there (`recall`).
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: () => Promise<T>, options: { isolation?: IsolationLevel } = {}): Promise<T> {
    if (storage.getStore()) return work();
    const afterCommit = new Set<() => void>();
    const transact = (manager: EntityManager) => {
      const transaction: Transaction = { manager, afterCommit, batches: new Map(), remembered: new Map() };
      return storage.run(transaction, async () => {
        const result = await work();
        // A flush may add rows of another kind (a judgement writes outbox rows): until none is left.
        for (let batch = nextBatch(transaction); batch; batch = nextBatch(transaction))
          await batch.flush(batch.rows.splice(0));
        return result;
      });
    };
    const result = options.isolation
      ? await this.dataSource.transaction(options.isolation, transact)
      : await this.dataSource.transaction(transact);
    for (const hook of afterCommit) {
      try {
        hook();
      } catch (error) {
        // The work is committed: a failing hook must not make the caller believe it was not.
        this.logger.error(`after-commit hook failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    return result;
  }

  get active(): boolean {
    return storage.getStore() !== undefined;
  }

  /** The open transaction's manager; outside `run`, the pool's (a single statement, for reads). */
  manager(): EntityManager {
    return storage.getStore()?.manager ?? this.dataSource.manager;
  }

  /** The open transaction's manager: for writes that must commit with others. */
  transactional(action: string): EntityManager {
    const transaction = storage.getStore();
    if (!transaction)
      throw new Error(`${action} cannot run outside a transaction: call it inside UnitOfWork.run`);
    return transaction.manager;
  }

  /**
   * Adds `row` to the open transaction's batch of its `kind`, which `flush` writes in one statement just
   * before the commit (in the transaction: the rows commit or roll back with the rest).
   */
  batched<R>(kind: symbol, row: R, flush: (rows: R[]) => Promise<unknown>): void {
    const transaction = storage.getStore();
    if (!transaction)
      throw new Error('batched rows cannot be written outside a transaction: call it inside UnitOfWork.run');
    const batch = transaction.batches.get(kind) ?? {
      rows: [],
      flush: flush as (rows: unknown[]) => Promise<unknown>,
    };
    batch.rows.push(row);
    transaction.batches.set(kind, batch);
  }

  /**
   * Keeps what one statement read for many keys (null: no row), for the reads that follow in this
   * transaction. Only the rows' owner (a repository) remembers and recalls them, and forgets a key it writes.
   */
  remember<T>(kind: symbol, entries: Iterable<readonly [string, T | null]>): void {
    const transaction = storage.getStore();
    if (!transaction) return; // nothing to keep it for: every read goes to the database
    const byKey = transaction.remembered.get(kind) ?? new Map<string, unknown>();
    for (const [key, value] of entries) byKey.set(key, value);
    transaction.remembered.set(kind, byKey);
  }

  /**
   * The remembered row of `key` (null: remembered as absent), taken out: only the first read of a key uses
   * what was loaded ahead, every later one goes to the database and sees the writes made since. Undefined:
   * nothing remembered, read it.
   */
  recall<T>(kind: symbol, key: string): T | null | undefined {
    const byKey = storage.getStore()?.remembered.get(kind);
    if (!byKey?.has(key)) return undefined;
    const value = byKey.get(key) as T | null;
    byKey.delete(key);
    return value;
  }

  /** Drops what is remembered of `key`: its row is being written, the loaded copy is stale. */
  forget(kind: symbol, key: string): void {
    storage.getStore()?.remembered.get(kind)?.delete(key);
  }

  /** The open transaction's rows of `kind` not yet flushed. */
  pending<R>(kind: symbol): readonly R[] {
    return (storage.getStore()?.batches.get(kind)?.rows ?? []) as R[];
  }

  /**
   * Writes the open transaction's pending rows of `kind` now rather than at commit: their owner calls it
   * before it reads their table, so that the transaction sees its own rows.
   */
  async flush(kind: symbol): Promise<void> {
    const batch = storage.getStore()?.batches.get(kind);
    if (!batch || batch.rows.length === 0) return;
    await batch.flush(batch.rows.splice(0));
  }

  /** Runs `hook` once after the open transaction commits (never if it rolls back). */
  afterCommit(hook: () => void): void {
    const transaction = storage.getStore();
    if (!transaction)
      throw new Error('afterCommit cannot run outside a transaction: call it inside UnitOfWork.run');
    transaction.afterCommit.add(hook);
  }
}
