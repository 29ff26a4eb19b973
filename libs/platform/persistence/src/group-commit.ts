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
  readAhead?: GroupReadAhead;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most callers one transaction takes: a group's rows and locks stay small. */
const MAX_GROUP = 64;

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

  constructor(private readonly unitOfWork: UnitOfWork) {}

  run<T, K>(work: () => Promise<T>, readAhead?: GroupReadAhead<K>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        work: context.bind(context.active(), work),
        readAhead: readAhead as GroupReadAhead | undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        if (group.length === 1 || !(await this.together(group)))
          for (const one of group) await this.alone(one);
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
