import { Injectable } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { UnitOfWork } from './unit-of-work';

/**
 * What a work will read, given to `run` so that a group reads it for all of its works in one statement
 * before they run: `load` (the same function for every caller) remembers the keys' rows in the unit of
 * work, where the works' own reads find them.
 */
export interface GroupReadAhead<K = unknown> {
  load: (keys: K[]) => Promise<void>;
  key: K;
}

interface Waiting {
  work: () => Promise<unknown>;
  /** When it arrived (ms since the epoch). */
  since: number;
  readAhead?: GroupReadAhead;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most callers one transaction takes: a group's rows and locks stay small. */
const MAX_GROUP = 64;
/** Weight of the newest group in the moving average of a group's time. */
const PACE_SMOOTHING = 0.3;

/**
 * Group commit for independent requests (each `run` is one caller's whole unit of work): callers that
 * arrive while a transaction is committing share the next one, in arrival order, so N requests pay one
 * START/COMMIT, one log flush and one INSERT per batched kind of row (the outbox) instead of N. A lone
 * caller starts at once: nothing waits for a group to fill. If the shared transaction fails, every work
 * of the group runs again alone, so one bad request never fails its neighbours and each caller gets its
 * own result or error. Works must only write through the unit of work (they may run twice, the first run
 * rolled back), and must not depend on each other. Each runs in its caller's trace context. A work that
 * reads by key says so (`readAhead`): the group then pays one read for all its works, not one each in turn.
 */
@Injectable()
export class GroupCommit {
  private waiting: Waiting[] = [];
  private draining = false;
  /** How long the recent groups took (a moving average): the pace at which waiting callers are taken. */
  private msPerGroup = 0;
  /** When the running group started (undefined between groups), and its callers. */
  private groupSince?: number;
  private running = 0;

  constructor(private readonly unitOfWork: UnitOfWork) {}

  run<T, K>(work: () => Promise<T>, readAhead?: GroupReadAhead<K>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        work: context.bind(context.active(), work),
        since: Date.now(),
        readAhead: readAhead as GroupReadAhead | undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.draining) void this.drain();
    });
  }

  /**
   * How long a caller would wait for its group to start with `ahead` callers before it (by default those
   * waiting now and those of the running group): what is left of the running group, then a group for each
   * full 64 of the others. A group takes as long as the recent ones or as the running one has taken so far
   * (a slower database is seen before a group ends); and a caller waits at least as long as the
   * longest-waiting one has. A server can refuse work before its queue answers late.
   */
  expectedWaitMs(ahead = this.waiting.length + this.running, now = Date.now()): number {
    const longest = this.waiting.length === 0 ? 0 : now - this.waiting[0].since;
    const elapsed = this.groupSince === undefined ? 0 : now - this.groupSince;
    const perGroup = Math.max(this.msPerGroup, elapsed);
    const runningLeft = this.running > 0 ? perGroup - elapsed : 0;
    const fullGroupsAhead = Math.floor(Math.max(0, ahead - this.running) / MAX_GROUP);
    return Math.max(longest, runningLeft + fullGroupsAhead * perGroup);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        const started = (this.groupSince = Date.now());
        this.running = group.length;
        if (group.length === 1 || !(await this.together(group)))
          for (const one of group) await this.alone(one);
        this.msPerGroup = (1 - PACE_SMOOTHING) * this.msPerGroup + PACE_SMOOTHING * (Date.now() - started);
        this.groupSince = undefined;
        this.running = 0;
      }
    } finally {
      this.draining = false;
    }
  }

  /** The group in one transaction; false (rolled back, nobody answered) if any of it failed. */
  private async together(group: Waiting[]): Promise<boolean> {
    const results: unknown[] = [];
    try {
      await this.unitOfWork.run(async () => {
        const keysByLoad = new Map<GroupReadAhead['load'], unknown[]>();
        for (const { readAhead } of group) {
          if (!readAhead) continue;
          const keys = keysByLoad.get(readAhead.load) ?? [];
          keys.push(readAhead.key);
          keysByLoad.set(readAhead.load, keys);
        }
        for (const [load, keys] of keysByLoad) await load(keys);
        for (const { work } of group) results.push(await work());
      });
    } catch {
      return false;
    }
    group.forEach(({ resolve }, index) => resolve(results[index]));
    return true;
  }

  private async alone({ work, resolve, reject }: Waiting): Promise<void> {
    try {
      resolve(await this.unitOfWork.run(work));
    } catch (error) {
      reject(error);
    }
  }
}
