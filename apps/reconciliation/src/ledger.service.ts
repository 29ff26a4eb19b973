import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { DiscrepancyDetected, type Envelope } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { UnitOfWork } from '@fapiao/platform/persistence';
import {
  evaluate,
  netTotals,
  type AuthorityRecord,
  type DiscrepancyType,
  type Facts,
  type ReconOrder,
  type ReconStatus,
} from './domain/reconciliation';
import { ReconciliationErrors } from './domain/reconciliation.errors';
import { ReconciliationRepository, type OrderChange } from './domain/reconciliation.repository';

/** One side's report of a red-letter invoice. */
export type ReversalSide =
  | { side: 'invoice'; reversalId: string; invoiceId: string; orderId: string; gross: string }
  | { side: 'authority'; reversalId: string; invoiceId: string; gross: string; number: string };

/** An order to judge once the unit of work's facts are recorded; `envelope` caused it. */
interface Judgement {
  envelope: Envelope;
  order: ReconOrder;
  /** What the fact changed on the order (already applied to `order`): written with the batch's verdicts. */
  change?: OrderChange;
  /** The authority's record when this unit of work wrote it: nothing to read back. */
  knownAuthority?: AuthorityRecord;
}

const JUDGEMENTS = Symbol('recon orders to judge');

/** The record of an order its OrderPlaced creates: nothing to judge without an invoice. */
function placedRecord(envelope: Envelope, orderId: string, expectedGross: string | null): ReconOrder {
  return {
    orderId,
    tenantId: envelope.tenantId,
    status: 'PENDING',
    expectedGross,
    invoiceId: null,
    invoiceGross: null,
    placedAt: new Date(envelope.occurredAt),
    matchedAt: null,
    cancelledAt: null,
    updatedAt: new Date(),
  };
}

/**
 * Records what each service observed about an order and judges it (evaluate): order total = invoice total
 * = authority-issued total for the blue invoice, each red-letter reversal the same on both sides, and what
 * remains (blue − red) 0 once the order was cancelled. Every method enlists in the open unit of work (the
 * consumer's or the sweep's); facts may arrive in any order (they travel on different topics), so each one
 * re-evaluates. Locks are taken order row first, then its authority record and reversals, on every path but
 * the authority's own fact, which writes its record first (see authorityIssued).
 *
 * The orders a batch of facts touched are judged together when its unit of work commits (see `judgeAll`):
 * a statement per table for the batch rather than per fact. A fact about an order waiting for its
 * judgement first has the waiting ones judged, so each fact still sees the verdicts of those before it.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly records: ReconciliationRepository,
    private readonly outbox: OutboxWriter,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** A batch's placed orders, recorded in one statement (`orderPlaced` of each then costs none). */
  ordersPlacedAhead(placed: { envelope: Envelope; orderId: string; expectedGross: string | null }[]) {
    return this.records.addPlacedAhead(
      placed.map(({ envelope, orderId, expectedGross }) => placedRecord(envelope, orderId, expectedGross)),
    );
  }

  /** A batch's facts keyed by order: their records locked in one statement, before any fact is recorded. */
  ordersAhead(orderIds: string[]): Promise<void> {
    return this.records.lockAhead(orderIds);
  }

  /** A batch's facts keyed by invoice: the records of their orders locked in one statement. */
  ordersOfInvoicesAhead(invoiceIds: string[]): Promise<void> {
    return this.records.lockAheadByInvoice(invoiceIds);
  }

  /**
   * A batch's authority facts: their records written in one statement, then their invoices' orders locked
   * in one — written before read, as `authorityIssued` of each does, which then costs no statement.
   */
  async authorityIssuedAhead(records: AuthorityRecord[]): Promise<void> {
    await this.records.addAuthorityRecordsAhead(records);
    await this.records.lockAheadOfInvoices(records.map((record) => record.invoiceId));
  }

  /**
   * Records the order once. Facts from other topics may have come first (their consumer joined sooner, or
   * caught up faster after a restart): they wait on the order's row, and the order is judged now.
   */
  async orderPlaced(envelope: Envelope, orderId: string, expectedGross: string | null) {
    const placedAt = new Date(envelope.occurredAt);
    // First fact about the order: recorded, and nothing to judge without an invoice.
    const recorded = await this.records.addPlaced(placedRecord(envelope, orderId, expectedGross));
    if (recorded) return;
    const order = await this.ownOrder(envelope, orderId);
    if (order.placedAt !== null) return;
    order.expectedGross = expectedGross;
    order.placedAt = placedAt;
    this.judge(envelope, order, { change: { expectedGross, placedAt, updatedAt: new Date() } });
  }

  /**
   * Nothing invoiced yet: CANCELLED (an invoice issued later is reversed by invoice). Invoiced: PENDING until
   * the reversal lands (then REVERSED); the sweep flags it if it never does. Repeats change nothing.
   */
  async orderCancelled(envelope: Envelope, orderId: string) {
    const order = await this.ownOrder(envelope, orderId);
    if (order.cancelledAt !== null) return;
    const now = new Date();
    order.cancelledAt = new Date(envelope.occurredAt);
    if (order.invoiceGross === null) {
      order.status = 'CANCELLED';
      await this.records.updateOrders([orderId], {
        status: 'CANCELLED',
        cancelledAt: order.cancelledAt,
        updatedAt: now,
      });
      await this.records.resolveOpenDiscrepancies([orderId], new Date());
      return;
    }
    order.status = 'PENDING';
    order.matchedAt = null;
    this.judge(envelope, order, {
      change: { status: 'PENDING', cancelledAt: order.cancelledAt, matchedAt: null, updatedAt: now },
    });
  }

  async invoiceIssued(envelope: Envelope, orderId: string, invoiceId: string, gross: string) {
    const order = await this.ownOrder(envelope, orderId);
    order.invoiceId = invoiceId;
    order.invoiceGross = gross;
    const change: OrderChange = { invoiceId, invoiceGross: gross, updatedAt: new Date() };
    if (order.status === 'CANCELLED') {
      // Cancelled before any invoice existed: invoice reverses this one; pending until it has.
      order.status = 'PENDING';
      order.cancelledAt ??= order.updatedAt;
      Object.assign(change, { status: 'PENDING', cancelledAt: order.cancelledAt });
    }
    this.judge(envelope, order, { change });
  }

  async invoiceRejected(envelope: Envelope, orderId: string, invoiceId: string) {
    const order = await this.ownOrder(envelope, orderId);
    if (order.status !== 'PENDING') return;
    await this.records.updateOrders([orderId], { status: 'REJECTED', invoiceId, updatedAt: new Date() });
    await this.records.resolveOpenDiscrepancies([orderId], new Date());
  }

  /**
   * The record is written before the invoice's order is looked up, as the invoice's side (invoiceIssued)
   * writes the order before its verdict reads this record: whichever of the two commits second sees the
   * other's fact. Looked up first, an InvoiceIssued committed between the lookup and the write was judged
   * without this record and this fact without its order, and a matching order stayed PENDING. When both are
   * in flight for the same invoice they can deadlock; MariaDB rolls one back and the consumer runs it again.
   * Another tenant's invoice is refused after the write, which its rollback undoes.
   */
  async authorityIssued(envelope: Envelope, record: AuthorityRecord) {
    const added = await this.records.addAuthorityRecord(record);
    const order = await this.ownOrderOfInvoice(envelope, record.invoiceId);
    // The record is this transaction's own: nothing to wait for or read back. Reported before: judged then.
    if (added && order) this.judge(envelope, order, { knownAuthority: record });
  }

  /**
   * A red-letter invoice as one side reported it: upserted by reversal id (either side may come first),
   * then the order is judged again. A repeated report writes the same figures.
   */
  async reversalReported(envelope: Envelope, report: ReversalSide) {
    const order =
      report.side === 'invoice'
        ? await this.ownOrder(envelope, report.orderId)
        : await this.ownOrderOfInvoice(envelope, report.invoiceId);
    const sideColumns =
      report.side === 'invoice'
        ? { orderId: report.orderId, invoiceGross: report.gross }
        : { authorityGross: report.gross, authorityNumber: report.number };
    await this.records.saveReversalSide({
      reversalId: report.reversalId,
      invoiceId: report.invoiceId,
      ...sideColumns,
      updatedAt: new Date(),
    });
    if (order) this.judge(envelope, order);
  }

  /** A cancel's reversal was refused: the order is invoiced again, judged as such. */
  async cancelReversalRefused(envelope: Envelope, orderId: string) {
    const order = await this.ownOrder(envelope, orderId);
    if (order.cancelledAt === null) return;
    order.cancelledAt = null;
    this.judge(envelope, order, { change: { cancelledAt: null, updatedAt: new Date() } });
  }

  /**
   * The order's record, locked (held empty if no fact came before), if the envelope's tenant owns it: the
   * ledger is keyed by order id, so another tenant's fact is refused, never merged.
   */
  private async ownOrder(envelope: Envelope, orderId: string): Promise<ReconOrder> {
    await this.judgeWaiting((order) => order.orderId === orderId);
    const order = await this.records.lockOrHold(envelope.tenantId, orderId);
    if (order.tenantId !== envelope.tenantId)
      throw ReconciliationErrors.tenantMismatch(orderId, envelope.tenantId);
    return order;
  }

  /** The record of the invoice's order, locked, if the envelope's tenant owns it (null while unknown). */
  private async ownOrderOfInvoice(envelope: Envelope, invoiceId: string): Promise<ReconOrder | null> {
    await this.judgeWaiting((order) => order.invoiceId === invoiceId);
    const order = await this.records.lockByInvoice(invoiceId);
    if (order && order.tenantId !== envelope.tenantId)
      throw ReconciliationErrors.tenantMismatch(order.orderId, envelope.tenantId);
    return order;
  }

  /**
   * Stale orders, each flagged once: placed before `cutoff` with no terminal invoice yet
   * (NO_TERMINAL_INVOICE), cancelled before `cutoff` with their invoice still not fully reversed
   * (CANCELLED_NOT_REVERSED), or not cancelled with a red-letter invoice that only one side had reported
   * by `cutoff` (REVERSAL_ONE_SIDED; flagged again for a later reversal once the first was resolved).
   */
  async flagStale(cutoff: Date, limit: number): Promise<number> {
    const stale = await this.records.lockStaleUninvoiced(cutoff, limit);
    for (const order of stale) {
      await this.flag(
        null,
        order,
        'NO_TERMINAL_INVOICE',
        `no issued or rejected invoice since ${order.placedAt?.toISOString() ?? '?'}`,
      );
    }
    const room = limit - stale.length;
    const unreversed = room <= 0 ? [] : await this.records.lockStaleUnreversed(cutoff, room);
    for (const order of unreversed) {
      await this.flag(
        null,
        order,
        'CANCELLED_NOT_REVERSED',
        `cancelled at ${order.cancelledAt?.toISOString() ?? '?'} but invoice ${order.invoiceId ?? '?'} is not fully reversed`,
      );
    }
    const left = room - unreversed.length;
    const oneSided = left <= 0 ? [] : await this.records.lockStaleOneSided(cutoff, left);
    let flaggedOneSided = 0;
    for (const order of oneSided) {
      const reversals = await this.lockedReversalsOf(order);
      const waiting = reversals
        .filter((r) => r.invoiceGross === null || r.authorityGross === null)
        .map((r) => `${r.reversalId} (${r.invoiceGross === null ? 'invoice' : 'authority'} side missing)`);
      if (waiting.length === 0) continue; // the other side arrived since the query
      await this.flag(
        null,
        order,
        'REVERSAL_ONE_SIDED',
        `red-letter invoice reported by one side only: ${waiting.join(', ')}`,
      );
      flaggedOneSided += 1;
    }
    return stale.length + unreversed.length + flaggedOneSided;
  }

  /**
   * The reversals of the order's invoice, read with locks (order row first, then its reversals, as on every
   * path): a report the other side is committing at this moment is waited for and seen.
   */
  private async lockedReversalsOf(order: ReconOrder) {
    if (!order.invoiceId) return [];
    return (await this.records.reversalsOf([order.invoiceId], { lock: true })).get(order.invoiceId) ?? [];
  }

  /** The order is judged, and its change written, when the unit of work's facts are recorded (`judgeAll`). */
  private judge(
    envelope: Envelope,
    order: ReconOrder,
    known: Pick<Judgement, 'change' | 'knownAuthority'> = {},
  ) {
    this.unitOfWork.batched<Judgement>(JUDGEMENTS, { envelope, order, ...known }, (judgements) =>
      this.judgeAll(judgements),
    );
  }

  /** Judges now the orders waiting for it, if one of them matches: a fact about it is about to be read. */
  private async judgeWaiting(about: (order: ReconOrder) => boolean): Promise<void> {
    if (this.unitOfWork.pending<Judgement>(JUDGEMENTS).some((judgement) => about(judgement.order)))
      await this.unitOfWork.flush(JUDGEMENTS);
  }

  /**
   * Judges the orders together: the facts' changes to them written (a statement per set of columns), then
   * their invoices' authority records and reversals read in one statement each (the order rows are locked
   * already and now written, so a report being committed on the other side waits for this one or is seen),
   * then the verdicts written, a statement per verdict.
   */
  private async judgeAll(judgements: Judgement[]): Promise<void> {
    await this.records.updateEachOrder(
      judgements.flatMap(({ order, change }) => (change ? [{ orderId: order.orderId, change }] : [])),
    );
    const invoiceIds = judgements.flatMap(({ order }) => (order.invoiceId ? [order.invoiceId] : []));
    const known = new Map(
      judgements.flatMap(({ knownAuthority: record }) =>
        record ? [[record.invoiceId, record] as const] : [],
      ),
    );
    const authorities = await this.records.findAuthorityRecords(
      invoiceIds.filter((invoiceId) => !known.has(invoiceId)),
      { lock: true },
    );
    const reversalsByInvoice = await this.records.reversalsOf(invoiceIds, { lock: true });
    const now = new Date();
    const changed = new Map<ReconStatus, string[]>();
    const reconciledOrders: string[] = [];
    for (const { envelope, order } of judgements) {
      const authority = order.invoiceId
        ? (known.get(order.invoiceId) ?? authorities.get(order.invoiceId) ?? null)
        : null;
      const reversals = (order.invoiceId && reversalsByInvoice.get(order.invoiceId)) || [];
      const facts: Facts = {
        status: order.status,
        expectedGross: order.expectedGross,
        invoiceGross: order.invoiceGross,
        authorityGross: authority?.totalGross ?? null,
        reversals,
        cancelled: order.cancelledAt !== null,
      };
      const verdict = evaluate(facts);
      if (!verdict) continue;
      const reconciled = verdict === 'MATCHED' || verdict === 'REVERSED';
      // A repeated verdict keeps its row; a reconciled one still closes what the sweep flagged meanwhile.
      if (verdict !== order.status) {
        changed.set(verdict, [...(changed.get(verdict) ?? []), order.orderId]);
        order.status = verdict;
        order.matchedAt = reconciled ? now : null;
      }
      if (reconciled) {
        reconciledOrders.push(order.orderId);
      } else {
        const net = netTotals(facts);
        const detail =
          `order ${order.expectedGross ?? '?'} / invoice ${order.invoiceGross ?? '?'} / authority ${authority?.totalGross ?? '?'}` +
          (reversals.length === 0
            ? ''
            : `; reds ${reversals.map((r) => `${r.invoiceGross ?? '?'}/${r.authorityGross ?? '?'}`).join(', ')}` +
              `; net invoice ${net.netGross ?? '?'} / authority ${net.authorityNetGross ?? '?'}`);
        await this.flag(envelope, order, 'TOTAL_MISMATCH', detail);
      }
    }
    for (const [verdict, orderIds] of changed) {
      const reconciled = verdict === 'MATCHED' || verdict === 'REVERSED';
      await this.records.updateOrders(orderIds, {
        status: verdict,
        matchedAt: reconciled ? now : null,
        updatedAt: now,
      });
    }
    await this.records.resolveOpenDiscrepancies(reconciledOrders, now);
  }

  private async flag(causedBy: Envelope | null, order: ReconOrder, type: DiscrepancyType, detail: string) {
    const existing = await this.records.findDiscrepancy(order.orderId, type);
    if (existing && !existing.resolvedAt) return;
    const found = { detail: detail.slice(0, 500), detectedAt: new Date() };
    if (existing) {
      // The drift came back after being repaired: reopen the same discrepancy.
      await this.records.reopenDiscrepancy(existing.id, found);
    } else {
      await this.records.addDiscrepancy({
        id: uuidv7(),
        tenantId: order.tenantId,
        orderId: order.orderId,
        type,
        ...found,
        resolvedAt: null,
      });
    }
    await this.outbox.append(DiscrepancyDetected, {
      tenantId: order.tenantId,
      key: order.orderId,
      causedBy: causedBy ?? undefined,
      payload: { orderId: order.orderId, type, detail: detail.slice(0, 500) },
    });
  }
}
