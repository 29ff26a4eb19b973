/**
 * The reconciliation ledger and its sweep against the real MariaDB: facts in any order, and the stale
 * cases the sweep turns into discrepancies, each flagged once and closed when the missing fact arrives.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { isLostLockRace, UnitOfWork } from '@fapiao/platform/persistence';
import { createTestDatabase, statementsOf, type TestDatabase } from '@fapiao/testing';
import { DiscrepancyEntity } from './infrastructure/discrepancy.entity';
import { ReconOrderEntity } from './infrastructure/recon-order.entity';
import { TypeOrmReconciliationRepository } from './infrastructure/typeorm-reconciliation.repository';
import { LedgerService, type ReversalSide } from './ledger.service';
import { RECONCILIATION_SCHEMA } from './schema';
import { StaleOrderSweep } from './sweep/stale-order-sweep';

jest.setTimeout(60_000);

const TENANT = randomUUID();
const envelope = (tenantId = TENANT): Envelope => ({
  id: randomUUID(),
  type: 'Test',
  version: 1,
  occurredAt: new Date().toISOString(),
  tenantId,
  key: 'k',
  causationId: null,
  correlationId: randomUUID(),
  payload: {},
});

describe('LedgerService and StaleOrderSweep (MySQL)', () => {
  let db: TestDatabase;
  let unitOfWork: UnitOfWork;
  let ledger: LedgerService;

  const tx = <T>(work: () => Promise<T>) => unitOfWork.run(work);
  /** A sweep whose cutoff is `staleAfterMs` ago. */
  const sweep = (staleAfterMs: number) =>
    new StaleOrderSweep(ledger, unitOfWork, { staleAfterMs, sweepIntervalMs: 60_000 }).sweepOnce();
  const status = async (orderId: string) =>
    (await db.dataSource.manager.findOneByOrFail(ReconOrderEntity, { orderId })).status;
  const discrepancies = (orderId: string) => db.dataSource.manager.findBy(DiscrepancyEntity, { orderId });
  const announced = async (orderId: string): Promise<string[]> =>
    (
      (await db.dataSource.query(
        'SELECT value FROM outbox_messages WHERE message_key = ? ORDER BY created_at, id',
        [orderId],
      )) as { value: string }[]
    )
      .map((row) => JSON.parse(row.value) as Envelope<{ type: string }>)
      .filter((message) => message.type === 'DiscrepancyDetected')
      .map((message) => message.payload.type);

  /** The authority's record of a blue invoice of 1000.00. */
  const authorityIssued = (invoiceId: string) =>
    tx(() =>
      ledger.authorityIssued(envelope(), {
        invoiceId,
        number: '2026440000000000' + String(Math.floor(Math.random() * 9000) + 1000),
        totalGross: '1000.00',
        issuedAt: new Date(),
      }),
    );
  /** An order of 1000.00, invoiced and issued by the authority for as much: MATCHED. */
  const matchedOrder = async () => {
    const orderId = randomUUID();
    const invoiceId = randomUUID();
    await tx(() => ledger.orderPlaced(envelope(), orderId, '1000.00'));
    await tx(() => ledger.invoiceIssued(envelope(), orderId, invoiceId, '1000.00'));
    await authorityIssued(invoiceId);
    expect(await status(orderId)).toBe('MATCHED');
    return { orderId, invoiceId };
  };
  const reported = (report: ReversalSide) => tx(() => ledger.reversalReported(envelope(), report));
  const invoiceSide = (ids: { orderId: string; invoiceId: string }, reversalId: string, gross: string) =>
    reported({ side: 'invoice', reversalId, gross, ...ids });
  const authoritySide = (invoiceId: string, reversalId: string, gross: string) =>
    reported({ side: 'authority', reversalId, invoiceId, gross, number: '20264400000000009999' });

  beforeAll(async () => {
    db = await createTestDatabase(RECONCILIATION_SCHEMA, 'it_recon_');
    unitOfWork = new UnitOfWork(db.dataSource);
    ledger = new LedgerService(
      new TypeOrmReconciliationRepository(unitOfWork),
      new OutboxWriter(unitOfWork, { outboxMaxMessageBytes: 1_000_000 }),
      unitOfWork,
    );
  });

  afterAll(() => db?.drop());

  it('holds facts that arrive before OrderPlaced, flags nothing meanwhile, and matches once it comes (found by the chaos run)', async () => {
    // Reconciliation restarted and its invoices consumer caught up before its orders consumer did.
    const orderId = randomUUID();
    const invoiceId = randomUUID();
    await tx(() => ledger.invoiceIssued(envelope(), orderId, invoiceId, '1000.00'));
    await authorityIssued(invoiceId);
    expect(await status(orderId)).toBe('PENDING');
    await sweep(0);
    expect(await discrepancies(orderId)).toEqual([]);

    await tx(() => ledger.orderPlaced(envelope(), orderId, '1000.00'));
    expect(await status(orderId)).toBe('MATCHED');
    await tx(() => ledger.orderPlaced(envelope(), orderId, '1000.00'));
    await sweep(0);
    expect(await discrepancies(orderId)).toEqual([]);
    expect(await announced(orderId)).toEqual([]);

    // A rejection that comes first is kept the same way.
    const rejected = randomUUID();
    await tx(() => ledger.invoiceRejected(envelope(), rejected, randomUUID()));
    await tx(() => ledger.orderPlaced(envelope(), rejected, '10.00'));
    expect(await status(rejected)).toBe('REJECTED');
  });

  it('flags a red-letter invoice one side never confirmed, once, and closes it when the other side reports', async () => {
    const ids = await matchedOrder();
    const first = randomUUID();
    await invoiceSide(ids, first, '-318.00');
    // Waiting for the authority's side is normal for a while: nothing is flagged yet.
    await sweep(3_600_000);
    expect(await discrepancies(ids.orderId)).toEqual([]);

    await sweep(0);
    await sweep(0);
    const [flagged] = await discrepancies(ids.orderId);
    expect(flagged).toMatchObject({ type: 'REVERSAL_ONE_SIDED', resolvedAt: null });
    expect(flagged.detail).toContain(`${first} (authority side missing)`);
    expect(await announced(ids.orderId)).toEqual(['REVERSAL_ONE_SIDED']);

    await authoritySide(ids.invoiceId, first, '-318.00');
    expect(await status(ids.orderId)).toBe('MATCHED');
    expect((await discrepancies(ids.orderId))[0].resolvedAt).not.toBeNull();

    // A later reversal that only the authority reported is flagged again (the same discrepancy reopened).
    const second = randomUUID();
    await authoritySide(ids.invoiceId, second, '-682.00');
    await sweep(0);
    const [reopened] = await discrepancies(ids.orderId);
    expect(reopened).toMatchObject({ type: 'REVERSAL_ONE_SIDED', resolvedAt: null });
    expect(reopened.detail).toContain(`${second} (invoice side missing)`);
    expect(await announced(ids.orderId)).toEqual(['REVERSAL_ONE_SIDED', 'REVERSAL_ONE_SIDED']);

    await invoiceSide(ids, second, '-682.00');
    expect(await status(ids.orderId)).toBe('REVERSED');
    expect((await discrepancies(ids.orderId))[0].resolvedAt).not.toBeNull();
  });

  it('flags a cancelled order whose invoice is not fully reversed as that, not as a one-sided reversal', async () => {
    const ids = await matchedOrder();
    await tx(() => ledger.orderCancelled(envelope(), ids.orderId));
    expect(await status(ids.orderId)).toBe('PENDING');
    await invoiceSide(ids, randomUUID(), '-1000.00');
    await sweep(0);
    expect((await discrepancies(ids.orderId)).map((d) => d.type)).toEqual(['CANCELLED_NOT_REVERSED']);
  });

  it("refuses another tenant's facts about an order or its invoice, and leaves the record as it was", async () => {
    const ids = await matchedOrder();
    const other = randomUUID();
    const before = await db.dataSource.manager.findOneByOrFail(ReconOrderEntity, { orderId: ids.orderId });
    const refused = expect.objectContaining({ code: 'RECON.TENANT_MISMATCH', kind: 'forbidden' });
    await expect(tx(() => ledger.orderCancelled(envelope(other), ids.orderId))).rejects.toThrow(refused);
    await expect(tx(() => ledger.orderPlaced(envelope(other), ids.orderId, '1.00'))).rejects.toThrow(refused);
    await expect(
      tx(() => ledger.invoiceIssued(envelope(other), ids.orderId, randomUUID(), '1.00')),
    ).rejects.toThrow(refused);
    await expect(
      tx(() =>
        ledger.authorityIssued(envelope(other), {
          invoiceId: ids.invoiceId,
          number: '20264400000000001234',
          totalGross: '1.00',
          issuedAt: new Date(),
        }),
      ),
    ).rejects.toThrow(refused);
    await expect(
      tx(() =>
        ledger.reversalReported(envelope(other), {
          side: 'authority',
          reversalId: randomUUID(),
          invoiceId: ids.invoiceId,
          gross: '-1.00',
          number: '20264400000000009999',
        }),
      ),
    ).rejects.toThrow(refused);
    expect(await db.dataSource.manager.findOneByOrFail(ReconOrderEntity, { orderId: ids.orderId })).toEqual(
      before,
    );
    expect(await discrepancies(ids.orderId)).toEqual([]);
  });

  describe('a batch of facts in one unit of work (as the consumer runs them)', () => {
    const batch = <T>(work: () => Promise<T>) => unitOfWork.run(work, { isolation: 'READ COMMITTED' });
    /** A batch run again while it loses a lock race, as the consumer runs a deadlock's victim again. */
    const retriedBatch = async <T>(work: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await batch(work);
        } catch (error) {
          if (!isLostLockRace(error)) throw error;
        }
      }
    };
    /** Placed, and issued by the authority for 1000.00: waiting for its InvoiceIssued. */
    const awaitingInvoice = async () => {
      const ids = { orderId: randomUUID(), invoiceId: randomUUID() };
      await tx(() => ledger.orderPlaced(envelope(), ids.orderId, '1000.00'));
      await authorityIssued(ids.invoiceId);
      return ids;
    };

    it("judges the batch's orders together: a statement per table for the batch, the facts' changes in one", async () => {
      const orders = await Promise.all([1, 2, 3, 4, 5].map(() => awaitingInvoice()));
      const sent = await statementsOf(() =>
        batch(async () => {
          await ledger.ordersAhead(orders.map((ids) => ids.orderId));
          for (const ids of orders)
            await ledger.invoiceIssued(envelope(), ids.orderId, ids.invoiceId, '1000.00');
        }),
      );
      for (const ids of orders) expect(await status(ids.orderId)).toBe('MATCHED');
      const on = (table: string) =>
        sent.filter((sql) => sql.includes(`\`${table}\``) || sql.includes(` ${table} `));
      // One lock for the batch, one UPDATE with the five invoices, and one more for the five verdicts.
      expect(on('recon_orders')).toHaveLength(1 + 1 + 1);
      expect(on('recon_authority_records')).toHaveLength(1);
      expect(on('recon_reversals')).toHaveLength(1);
      expect(on('discrepancies')).toHaveLength(1);
    });

    it("records a batch's placed orders in one statement, and one that a fact came before as before", async () => {
      const fresh = [randomUUID(), randomUUID()];
      const early = { orderId: randomUUID(), invoiceId: randomUUID() };
      await tx(() => ledger.invoiceIssued(envelope(), early.orderId, early.invoiceId, '1000.00'));
      await authorityIssued(early.invoiceId);
      const placed = [...fresh, early.orderId].map((orderId) => ({
        envelope: envelope(),
        orderId,
        expectedGross: '1000.00',
      }));
      const newOnly = await statementsOf(() =>
        batch(async () => {
          await ledger.ordersPlacedAhead(placed.slice(0, 2));
          for (const { envelope: e, orderId, expectedGross } of placed.slice(0, 2))
            await ledger.orderPlaced(e, orderId, expectedGross);
        }),
      );
      expect(newOnly.filter((sql) => sql.includes('INTO `recon_orders`'))).toHaveLength(1);
      const withEarly = await statementsOf(() =>
        batch(async () => {
          await ledger.ordersPlacedAhead(placed);
          for (const { envelope: e, orderId, expectedGross } of placed)
            await ledger.orderPlaced(e, orderId, expectedGross);
        }),
      );
      expect(withEarly.filter((sql) => sql.includes('INTO `recon_orders`')).length).toBeGreaterThan(1);
      for (const orderId of fresh) expect(await status(orderId)).toBe('PENDING');
      expect(await status(early.orderId)).toBe('MATCHED'); // its held record got the order, and was judged
    });

    it("records a batch's authority facts in one statement and finds their orders in one, a repeat not judged", async () => {
      const invoiced = [1, 2, 3].map(() => ({ orderId: randomUUID(), invoiceId: randomUUID() }));
      for (const ids of invoiced) {
        await tx(() => ledger.orderPlaced(envelope(), ids.orderId, '1000.00'));
        await tx(() => ledger.invoiceIssued(envelope(), ids.orderId, ids.invoiceId, '1000.00'));
      }
      const early = invoiced[0];
      await authorityIssued(early.invoiceId); // reported before: MATCHED then, and repeated in the batch
      const records = [...invoiced, { orderId: null, invoiceId: randomUUID() }].map(({ invoiceId }) => ({
        invoiceId,
        number: '20264400000000007777',
        totalGross: '1000.00',
        issuedAt: new Date(),
      }));
      const judged = jest.spyOn(ledger as unknown as { judge: () => void }, 'judge');
      const sent = await statementsOf(() =>
        batch(async () => {
          await ledger.authorityIssuedAhead(records);
          for (const record of records) await ledger.authorityIssued(envelope(), record);
        }),
      );
      expect(judged).toHaveBeenCalledTimes(2); // the two new records of known orders; not the repeat
      judged.mockRestore();
      for (const ids of invoiced) expect(await status(ids.orderId)).toBe('MATCHED');
      const on = (table: string) =>
        sent.filter((sql) => sql.includes(`\`${table}\``) || sql.includes(` ${table} `));
      // Which exist, then the new ones (their verdicts take them as written); the orders locked once, then
      // their verdicts.
      expect(on('recon_authority_records')).toHaveLength(2);
      expect(on('recon_orders')).toHaveLength(2);
    });

    it('judges an order waiting for its verdict before a later fact of the batch reads it', async () => {
      const ids = await awaitingInvoice();
      await batch(async () => {
        await ledger.ordersAhead([ids.orderId]);
        await ledger.invoiceIssued(envelope(), ids.orderId, ids.invoiceId, '1000.00');
        // Judged MATCHED first, so this rejection (of an invoice the order no longer waits for) changes nothing.
        await ledger.invoiceRejected(envelope(), ids.orderId, randomUUID());
      });
      expect(await db.dataSource.manager.findOneByOrFail(ReconOrderEntity, ids)).toMatchObject({
        status: 'MATCHED',
        invoiceId: ids.invoiceId,
      });
    });

    /**
     * A ledger whose repository pauses after the first call of any of `methods`, whichever comes first, until
     * `resume()`: `first` resolves when it has run.
     */
    const pausedAfterFirstOf = (methods: (keyof TypeOrmReconciliationRepository)[]) => {
      const records = new TypeOrmReconciliationRepository(unitOfWork);
      let firstDone!: () => void;
      const first = new Promise<void>((resolve) => (firstDone = resolve));
      let resume!: () => void;
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      let calls = 0;
      const methodsOf = records as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      for (const method of methods) {
        const original = methodsOf[method].bind(records);
        methodsOf[method] = async (...args: unknown[]) => {
          const result = await original(...args);
          if (++calls === 1) {
            firstDone();
            await resumed;
          }
          return result;
        };
      }
      const paused = new LedgerService(
        records,
        new OutboxWriter(unitOfWork, { outboxMaxMessageBytes: 1_000_000 }),
        unitOfWork,
      );
      return { ledger: paused, first, resume };
    };

    it("matches an order whose InvoiceIssued runs between the authority batch's two statements", async () => {
      const orderId = randomUUID();
      const invoiceId = randomUUID();
      await tx(() => ledger.orderPlaced(envelope(), orderId, '1000.00'));
      // The authority's batch pauses after its first statement, whichever it is: written before read, the
      // invoice's side then waits for its record (and they deadlock: the victim runs again); read before
      // written, the invoice's side judges without the record, and the record finds no order.
      const {
        ledger: paused,
        first,
        resume,
      } = pausedAfterFirstOf(['addAuthorityRecordsAhead', 'lockAheadOfInvoices']);
      const record = {
        invoiceId,
        number: '20264400000000004322',
        totalGross: '1000.00',
        issuedAt: new Date(),
      };
      const authority = retriedBatch(async () => {
        await paused.authorityIssuedAhead([record]);
        await paused.authorityIssued(envelope(), record);
      });
      await first;
      const issued = retriedBatch(async () => {
        await ledger.ordersAhead([orderId]);
        await ledger.invoiceIssued(envelope(), orderId, invoiceId, '1000.00');
      });
      await Promise.race([issued, waitForLockWait('recon_authority_records')]);
      resume();
      await Promise.all([authority, issued]);
      expect(await status(orderId)).toBe('MATCHED');
    });

    it("matches an order whose authority's batch runs between the two statements of its invoice's verdict", async () => {
      const orderId = randomUUID();
      const invoiceId = randomUUID();
      await tx(() => ledger.orderPlaced(envelope(), orderId, '1000.00'));
      // The invoices consumer's batch pauses after its verdict's first statement, whichever it is: the order
      // written before the authority's record is read, the authority's side then waits for the order (and
      // they deadlock: the victim runs again); read before written, the authority's record is not seen, and
      // the record finds no order.
      const {
        ledger: invoiceSide,
        first,
        resume,
      } = pausedAfterFirstOf(['updateEachOrder', 'findAuthorityRecords']);
      const issued = retriedBatch(async () => {
        await invoiceSide.ordersAhead([orderId]);
        await invoiceSide.invoiceIssued(envelope(), orderId, invoiceId, '1000.00');
      });
      await first;
      const record = {
        invoiceId,
        number: '20264400000000004321',
        totalGross: '1000.00',
        issuedAt: new Date(),
      };
      const authority = retriedBatch(async () => {
        await ledger.authorityIssuedAhead([record]);
        await ledger.authorityIssued(envelope(), record);
      });
      await Promise.race([authority, waitForLockWait()]);
      resume();
      await Promise.all([issued, authority]);
      // Either side judging alone would leave it PENDING: the one that ran again saw the other's fact.
      expect(await status(orderId)).toBe('MATCHED');
    });

    /**
     * Until a locking read of `table` is running: by default the authority's side, waiting for the invoice's
     * order (MariaDB waits in the optimizer's read of the unique key, so INNODB_TRX shows no LOCK WAIT).
     */
    const waitForLockWait = async (table = 'recon_orders') => {
      for (let polls = 0; polls < 200; polls += 1) {
        const waiting = (await db.dataSource.query(
          "SELECT id FROM information_schema.PROCESSLIST WHERE command = 'Query' AND info LIKE ?",
          [`%FROM ${table}%FOR UPDATE`],
        )) as unknown[];
        if (waiting.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('no transaction waited for a lock');
    };
  });
});
