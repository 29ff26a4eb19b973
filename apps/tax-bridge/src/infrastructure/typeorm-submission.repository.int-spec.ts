/**
 * The submission repository against the real MariaDB: a unit of work's new submissions are written in one
 * statement, however the handlers that add them interleave their reads.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '@fapiao/contracts';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { createTestDatabase, fullScansOf, statementsOf, type TestDatabase } from '@fapiao/testing';
import { Submission } from '../domain/submission';
import { TAX_BRIDGE_SCHEMA } from '../schema';
import { TypeOrmSubmissionRepository } from './typeorm-submission.repository';

jest.setTimeout(60_000);

const accepted = (serial: string) =>
  Submission.accept({
    serial,
    operation: 'issue',
    envelope: {
      id: randomUUID(),
      type: 'IssueInvoiceRequested',
      version: 1,
      occurredAt: new Date().toISOString(),
      tenantId: randomUUID(),
      key: serial,
      causationId: null,
      correlationId: randomUUID(),
      payload: { invoiceId: randomUUID() },
    } as Envelope<{ invoiceId: string }>,
    traceHeaders: {},
  });

describe('TypeOrmSubmissionRepository (MySQL)', () => {
  let db: TestDatabase;
  let unitOfWork: UnitOfWork;
  let submissions: TypeOrmSubmissionRepository;

  beforeAll(async () => {
    db = await createTestDatabase(TAX_BRIDGE_SCHEMA, 'it_tax_');
    unitOfWork = new UnitOfWork(db.dataSource);
    submissions = new TypeOrmSubmissionRepository(unitOfWork);
  });
  afterAll(() => db?.drop());
  const inserts = (sent: string[]) => sent.filter((sql) => sql.startsWith('INSERT INTO `submissions`'));

  it("writes a batch's new submissions in one statement when each command first looks for its own", async () => {
    const serials = [1, 2, 3].map(() => `FP${randomUUID().slice(0, 8)}`);
    const sent = await statementsOf(() =>
      unitOfWork.run(async () => {
        await submissions.loadAhead(serials);
        for (const serial of serials) {
          expect(await submissions.find(serial)).toBeNull();
          await submissions.add(accepted(serial));
        }
      }),
    );
    expect(inserts(sent)).toHaveLength(1);
    for (const serial of serials) expect(await submissions.find(serial)).not.toBeNull();
  });

  it('finds a submission the unit of work added, before the commit', async () => {
    const serial = `FP${randomUUID().slice(0, 8)}`;
    const sent = await statementsOf(() =>
      unitOfWork.run(async () => {
        await submissions.add(accepted(serial));
        expect((await submissions.find(serial))?.serial).toBe(serial);
      }),
    );
    expect(inserts(sent)).toHaveLength(1);
  });

  it('claims due submissions in one locking read and one update, oldest first, without a table scan', async () => {
    // Seeded and analysed, as a table in service is: on a small table with stale statistics the optimizer
    // scans rather than open an index.
    const answered = Array.from({ length: 3_000 }, () => `FP${randomUUID().slice(0, 8)}`);
    await unitOfWork.run(async () => {
      for (const serial of answered) await submissions.add(accepted(serial));
    });
    // Everything so far answered (this file's other cases included): only `due` is due.
    await db.dataSource.query("UPDATE submissions SET state = 'ISSUED'");
    await db.dataSource.query('ANALYZE TABLE submissions');
    const due = [1, 2, 3].map(() => `FP${randomUUID().slice(0, 8)}`);
    for (const serial of due) await unitOfWork.run(() => submissions.add(accepted(serial)));
    // A second apart, so that oldest first has one answer.
    for (const [index, serial] of due.entries())
      await db.dataSource.query(
        'UPDATE submissions SET created_at = NOW(3) - INTERVAL ? SECOND WHERE serial = ?',
        [due.length - index, serial],
      );

    let claimed: string[] = [];
    const sent = await statementsOf(async () => {
      claimed = (await submissions.claimDue(2, 30_000)).map((submission) => submission.serial);
    });
    expect(claimed).toEqual(due.slice(0, 2));
    expect(sent.filter((sql) => /^\s*SELECT/.test(sql))).toHaveLength(1);
    expect(sent.filter((sql) => sql.startsWith('UPDATE'))).toHaveLength(1);
    expect(await fullScansOf(db.dataSource, () => submissions.claimDue(2, 30_000))).toEqual([]);
  });

  it("saves a batch's leased submissions in one statement, and not one whose lease another forwarder took", async () => {
    const serials = [1, 2, 3].map(() => `FP${randomUUID().slice(0, 8)}`);
    await unitOfWork.run(async () => {
      for (const serial of serials) await submissions.add(accepted(serial));
    });
    const claimed = (await submissions.claimDue(1_000, 30_000)).filter((s) => serials.includes(s.serial));
    expect(claimed).toHaveLength(3);
    // Another forwarder's claim of the second one after our lease ran out.
    await db.dataSource.query(
      'UPDATE submissions SET lease_until = NOW(3) + INTERVAL 1 MINUTE WHERE serial = ?',
      [claimed[1].serial],
    );
    for (const submission of claimed) submission.unresolved('timed out', new Date());
    let saved: boolean[] = [];
    const sent = await statementsOf(async () => {
      saved = await unitOfWork.run(() => submissions.saveLeasedAll(claimed));
    });
    expect(saved).toEqual([true, false, true]);
    expect(sent.filter((sql) => sql.startsWith('UPDATE'))).toHaveLength(1);
    const states = async (serial: string) => (await submissions.find(serial))?.state;
    expect(await states(claimed[0].serial)).toBe('UNKNOWN');
    expect(await states(claimed[1].serial)).toBe('SENDING');
  });
});
