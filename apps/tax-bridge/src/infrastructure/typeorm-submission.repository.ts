import { Injectable } from '@nestjs/common';
import { insertRows, selectRows, UnitOfWork, updateEach, updateRows } from '@fapiao/platform/persistence';
import type { Submission } from '../domain/submission';
import type { SubmissionOperation } from '../domain/submission-state';
import { SubmissionRepository, type QueueStats } from '../domain/submission.repository';
import { SubmissionEntity } from './submission.entity';
import { SubmissionMapper } from './submission.mapper';

/** Submission rows loaded ahead for a batch of commands (`loadAhead`), by serial. */
const LOADED_AHEAD = Symbol('submissions loaded ahead');
const NEW_SUBMISSIONS = Symbol('new submissions');

/**
 * A claim locks the rows it picks and nothing between them: under REPEATABLE READ its gap locks on the due
 * index deadlocked with outcomes being recorded (see the forwarder's RECORDING).
 */
const CLAIMING = { isolation: 'READ COMMITTED' } as const;

@Injectable()
export class TypeOrmSubmissionRepository implements SubmissionRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async find(serial: string): Promise<Submission | null> {
    // The transaction's own new one is found too (the others stay batched).
    if (this.unitOfWork.pending<SubmissionEntity>(NEW_SUBMISSIONS).some((row) => row.serial === serial))
      await this.unitOfWork.flush(NEW_SUBMISSIONS);
    const ahead = this.unitOfWork.recall<SubmissionEntity>(LOADED_AHEAD, serial);
    const row =
      ahead !== undefined
        ? ahead
        : ((
            await selectRows(
              this.unitOfWork.manager(),
              SubmissionEntity,
              'SELECT * FROM submissions WHERE serial = ?',
              [serial],
            )
          )[0] ?? null);
    return row && SubmissionMapper.toDomain(row);
  }

  async loadAhead(serials: string[]): Promise<void> {
    if (serials.length === 0) return;
    await this.unitOfWork.flush(NEW_SUBMISSIONS);
    const rows = await selectRows(
      this.unitOfWork.manager(),
      SubmissionEntity,
      'SELECT * FROM submissions WHERE serial IN (?)',
      [serials],
    );
    const found = new Map(rows.map((row) => [row.serial, row]));
    // Absent is remembered too (null): a new command's submission, as `find` would have found nothing.
    this.unitOfWork.remember(
      LOADED_AHEAD,
      serials.map((serial) => [serial, found.get(serial) ?? null] as const),
    );
  }

  /** Written with the unit of work's other new submissions in one statement, at commit or before a read. */
  async add(submission: Submission): Promise<void> {
    this.unitOfWork.forget(LOADED_AHEAD, submission.serial);
    this.unitOfWork.batched(NEW_SUBMISSIONS, SubmissionMapper.toPersistence(submission), this.insertNew);
  }

  private readonly insertNew = (rows: SubmissionEntity[]) =>
    insertRows(this.unitOfWork.transactional('SubmissionRepository.add'), SubmissionEntity, rows);

  claimDue(limit: number, leaseMs: number, only?: { neverSent: SubmissionOperation }): Promise<Submission[]> {
    return this.unitOfWork.run(async () => {
      const manager = this.unitOfWork.transactional('SubmissionRepository.claimDue');
      // Whole rows in the locking read, oldest first: a second read by serial fetched only what it had locked.
      const [due, params] = only
        ? // QUEUED: never sent (a send that may have arrived leaves it UNKNOWN or SENDING).
          [`state = 'QUEUED' AND next_attempt_at <= NOW(3) AND operation = ?`, [only.neverSent, limit]]
        : [
            `(state IN ('QUEUED', 'UNKNOWN', 'AWAITING') AND next_attempt_at <= NOW(3))
              OR (state = 'SENDING' AND lease_until < NOW(3))`,
            [limit],
          ];
      const claimed = (
        await selectRows(
          manager,
          SubmissionEntity,
          `SELECT * FROM submissions WHERE ${due} ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED`,
          params,
        )
      ).map(SubmissionMapper.toDomain);
      if (claimed.length === 0) return [];
      const serials = claimed.map((submission) => submission.serial);
      const leaseUntil = new Date(Date.now() + leaseMs);
      for (const submission of claimed) submission.claim(leaseUntil);
      // One statement for the batch: what `claim` did to each.
      await updateRows(
        manager,
        SubmissionEntity,
        { state: 'SENDING', leaseUntil, attempts: () => 'attempts + 1', updatedAt: new Date() },
        'serial IN (?)',
        [serials],
      );
      return claimed;
    }, CLAIMING);
  }

  async saveLeased(submission: Submission): Promise<boolean> {
    const matched = await updateRows(
      this.unitOfWork.manager(),
      SubmissionEntity,
      leasedChange(submission),
      "serial = ? AND state = 'SENDING' AND lease_until = ?",
      [submission.serial, submission.heldLease],
    );
    return matched === 1;
  }

  async saveLeasedAll(submissions: Submission[]): Promise<boolean[]> {
    if (submissions.length === 0) return [];
    const manager = this.unitOfWork.transactional('SubmissionRepository.saveLeasedAll');
    // Locked first: which leases still hold, so that each answer is exact and the rest written at once.
    const leases = (await manager.query(
      "SELECT serial, lease_until FROM submissions WHERE serial IN (?) AND state = 'SENDING' FOR UPDATE",
      [submissions.map((submission) => submission.serial)],
    )) as { serial: string; lease_until: Date | null }[];
    const leaseOf = new Map(leases.map((row) => [row.serial, row.lease_until?.getTime()]));
    const held = new Set(
      submissions
        .filter(
          (submission) =>
            submission.heldLease !== null &&
            leaseOf.get(submission.serial) === submission.heldLease.getTime(),
        )
        .map((submission) => submission.serial),
    );
    const saved = submissions.filter((submission) => held.has(submission.serial));
    await updateEach(
      manager,
      SubmissionEntity,
      saved.map((submission) => ({ id: submission.serial, change: leasedChange(submission) })),
    );
    return submissions.map((submission) => held.has(submission.serial));
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

/** What a leased submission's handling changes. */
function leasedChange(submission: Submission): Partial<SubmissionEntity> {
  const row = SubmissionMapper.toPersistence(submission);
  return {
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    leaseUntil: row.leaseUntil,
    lastError: row.lastError,
    number: row.number,
    formId: row.formId,
    outcome: row.outcome,
    updatedAt: row.updatedAt,
  };
}
