import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { SubmissionState } from '../domain/submission-state';
import { SubmissionEntity } from './submission.entity';

export interface SettleChange {
  state: SubmissionState;
  number?: string | null;
  formId?: string | null;
  outcome?: string | null;
  lastError?: string | null;
  nextAttemptAt?: Date;
}

export interface QueueStats {
  depth: number;
  unknown: number;
  oldestQueuedAt: Date | null;
  /** Reversals whose confirmation form waits for the buyer: not backlog, the authority is not at fault. */
  awaitingConfirmation: number;
}

/** Port (and DI token) of the store-and-forward queue. */
export abstract class SubmissionRepository {
  abstract find(manager: EntityManager, serial: string): Promise<SubmissionEntity | null>;
  abstract insert(manager: EntityManager, submission: SubmissionEntity): Promise<void>;
  /**
   * Leases up to `limit` due submissions, oldest first, across replicas (SKIP LOCKED): queued, unknown or
   * awaiting ones whose time has come, and sends whose lease expired (their process died mid-call).
   */
  abstract claimDue(limit: number, leaseMs: number): Promise<SubmissionEntity[]>;
  /** Applies the outcome if this lease still holds; false when another forwarder took the submission over. */
  abstract settle(
    manager: EntityManager,
    submission: SubmissionEntity,
    change: SettleChange,
  ): Promise<boolean>;
  /**
   * Gives a lease back untouched when nothing was sent under it (circuit open, paused): the attempt does
   * not count and the submission keeps its place in the queue. False when the lease no longer holds.
   */
  abstract release(submission: SubmissionEntity): Promise<boolean>;
  abstract stats(): Promise<QueueStats>;
}

@Injectable()
export class TypeOrmSubmissionRepository implements SubmissionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(manager: EntityManager, serial: string) {
    return manager.getRepository(SubmissionEntity).findOneBy({ serial });
  }

  async insert(manager: EntityManager, submission: SubmissionEntity) {
    await manager.insert(SubmissionEntity, submission);
  }

  claimDue(limit: number, leaseMs: number): Promise<SubmissionEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { serial: string }[] = await manager.query(
        `SELECT serial FROM submissions
          WHERE (state IN ('QUEUED', 'UNKNOWN', 'AWAITING') AND next_attempt_at <= NOW(3))
             OR (state = 'SENDING' AND lease_until < NOW(3))
          ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return [];
      const serials = rows.map((row) => row.serial);
      const claimed = await manager.getRepository(SubmissionEntity).find({ where: { serial: In(serials) } });
      const leaseUntil = new Date(Date.now() + leaseMs);
      await manager
        .createQueryBuilder()
        .update(SubmissionEntity)
        .set({ state: 'SENDING', leaseUntil, attempts: () => 'attempts + 1', updatedAt: new Date() })
        .where({ serial: In(serials) })
        .execute();
      return claimed
        .map((row) =>
          Object.assign(row, { state: 'SENDING' as const, leaseUntil, attempts: row.attempts + 1 }),
        )
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    });
  }

  async settle(manager: EntityManager, submission: SubmissionEntity, change: SettleChange): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(SubmissionEntity)
      .set({ ...change, leaseUntil: null, updatedAt: new Date() })
      .where('serial = :serial AND state = :state AND lease_until = :leaseUntil', {
        serial: submission.serial,
        state: 'SENDING',
        leaseUntil: submission.leaseUntil,
      })
      .execute();
    return result.affected === 1;
  }

  async release(submission: SubmissionEntity): Promise<boolean> {
    const attempts = submission.attempts - 1;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SubmissionEntity)
      .set({
        // Never sent at all: QUEUED again; a raised form: AWAITING again; else still to be queried first.
        state: attempts === 0 ? 'QUEUED' : submission.formId ? 'AWAITING' : 'UNKNOWN',
        attempts,
        leaseUntil: null,
        updatedAt: new Date(),
      })
      .where('serial = :serial AND state = :state AND lease_until = :leaseUntil', {
        serial: submission.serial,
        state: 'SENDING',
        leaseUntil: submission.leaseUntil,
      })
      .execute();
    return result.affected === 1;
  }

  async stats(): Promise<QueueStats> {
    const [row] = await this.dataSource.query(
      `SELECT SUM(state <> 'AWAITING') AS depth, SUM(state = 'UNKNOWN') AS unknown,
              MIN(CASE WHEN state <> 'AWAITING' THEN created_at END) AS oldest,
              SUM(state = 'AWAITING') AS awaiting
         FROM submissions WHERE state IN ('QUEUED', 'UNKNOWN', 'SENDING', 'AWAITING')`,
    );
    return {
      depth: Number(row.depth ?? 0),
      unknown: Number(row.unknown ?? 0),
      oldestQueuedAt: row.oldest ? new Date(row.oldest) : null,
      awaitingConfirmation: Number(row.awaiting ?? 0),
    };
  }
}
