import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { insertRows, UnitOfWork } from '@fapiao/platform/persistence';
import type { Submission } from '../domain/submission';
import type { SubmissionOperation } from '../domain/submission-state';
import { SubmissionRepository, type QueueStats } from '../domain/submission.repository';
import { SubmissionEntity } from './submission.entity';
import { SubmissionMapper } from './submission.mapper';

@Injectable()
export class TypeOrmSubmissionRepository implements SubmissionRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async find(serial: string): Promise<Submission | null> {
    const row = await this.unitOfWork.manager().getRepository(SubmissionEntity).findOneBy({ serial });
    return row && SubmissionMapper.toDomain(row);
  }

  async add(submission: Submission): Promise<void> {
    await insertRows(this.unitOfWork.transactional('SubmissionRepository.add'), SubmissionEntity, [
      SubmissionMapper.toPersistence(submission),
    ]);
  }

  claimDue(limit: number, leaseMs: number, only?: { neverSent: SubmissionOperation }): Promise<Submission[]> {
    return this.unitOfWork.run(async () => {
      const manager = this.unitOfWork.transactional('SubmissionRepository.claimDue');
      const rows: { serial: string }[] = only
        ? await manager.query(
            // QUEUED: never sent (a send that may have arrived leaves it UNKNOWN or SENDING).
            `SELECT serial FROM submissions
              WHERE state = 'QUEUED' AND next_attempt_at <= NOW(3) AND operation = ?
              ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED`,
            [only.neverSent, limit],
          )
        : await manager.query(
            `SELECT serial FROM submissions
              WHERE (state IN ('QUEUED', 'UNKNOWN', 'AWAITING') AND next_attempt_at <= NOW(3))
                 OR (state = 'SENDING' AND lease_until < NOW(3))
              ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED`,
            [limit],
          );
      if (rows.length === 0) return [];
      const serials = rows.map((row) => row.serial);
      const claimed = (
        await manager.getRepository(SubmissionEntity).find({ where: { serial: In(serials) } })
      ).map(SubmissionMapper.toDomain);
      const leaseUntil = new Date(Date.now() + leaseMs);
      for (const submission of claimed) submission.claim(leaseUntil);
      // One statement for the batch: what `claim` did to each.
      await manager
        .createQueryBuilder()
        .update(SubmissionEntity)
        .set({ state: 'SENDING', leaseUntil, attempts: () => 'attempts + 1', updatedAt: new Date() })
        .where({ serial: In(serials) })
        .execute();
      return claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    });
  }

  async saveLeased(submission: Submission): Promise<boolean> {
    const row = SubmissionMapper.toPersistence(submission);
    const result = await this.unitOfWork
      .manager()
      .createQueryBuilder()
      .update(SubmissionEntity)
      .set({
        state: row.state,
        attempts: row.attempts,
        nextAttemptAt: row.nextAttemptAt,
        leaseUntil: row.leaseUntil,
        lastError: row.lastError,
        number: row.number,
        formId: row.formId,
        outcome: row.outcome,
        updatedAt: row.updatedAt,
      })
      .where('serial = :serial AND state = :state AND lease_until = :leaseUntil', {
        serial: submission.serial,
        state: 'SENDING',
        leaseUntil: submission.heldLease,
      })
      .execute();
    return result.affected === 1;
  }

  async stats(): Promise<QueueStats> {
    const [row] = await this.unitOfWork.manager().query(
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
