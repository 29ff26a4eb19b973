import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DiscrepancyDetected, type Envelope } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { evaluate, netTotals, type DiscrepancyType, type Facts } from './domain/reconciliation';
import { AuthorityRecordEntity } from './infrastructure/authority-record.entity';
import { DiscrepancyEntity } from './infrastructure/discrepancy.entity';
import { ReconOrderEntity } from './infrastructure/recon-order.entity';
import { ReconReversalEntity } from './infrastructure/reversal.entity';

/** One side's report of a red-letter invoice. */
export type ReversalSide =
  | { side: 'invoice'; reversalId: string; invoiceId: string; orderId: string; gross: string }
  | { side: 'authority'; reversalId: string; invoiceId: string; gross: string; number: string };

/**
 * Records what each service observed about an order and judges it (evaluate): order total = invoice total
 * = authority-issued total for the blue invoice, each red-letter reversal the same on both sides, and what
 * remains (blue − red) 0 once the order was cancelled. Every method runs in the consumer's transaction;
 * facts may arrive in any order (they travel on different topics), so each one re-evaluates. Locks are
 * taken order row first, then its reversals, on every path.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly outbox: OutboxWriter) {}

  /**
   * Records the order once. Facts from other topics may have come first (their consumer joined sooner, or
   * caught up faster after a restart): they wait on the order's row, and the order is judged now.
   */
  async orderPlaced(
    manager: EntityManager,
    envelope: Envelope,
    orderId: string,
    expectedGross: string | null,
  ) {
    const order = await this.lockOrHold(manager, envelope, orderId);
    if (order.placedAt !== null) return;
    order.expectedGross = expectedGross;
    order.placedAt = new Date(envelope.occurredAt);
    await manager.update(
      ReconOrderEntity,
      { orderId },
      { expectedGross, placedAt: order.placedAt, updatedAt: new Date() },
    );
    await this.judge(manager, envelope, order);
  }

  /**
   * Nothing invoiced yet: CANCELLED (an invoice issued later is reversed by invoice). Invoiced: PENDING until
   * the reversal lands (then REVERSED); the sweep flags it if it never does. Repeats change nothing.
   */
  async orderCancelled(manager: EntityManager, envelope: Envelope, orderId: string) {
    const order = await this.lockOrHold(manager, envelope, orderId);
    if (order.cancelledAt !== null) return;
    const now = new Date();
    order.cancelledAt = new Date(envelope.occurredAt);
    if (order.invoiceGross === null) {
      order.status = 'CANCELLED';
      await manager.update(
        ReconOrderEntity,
        { orderId },
        { status: 'CANCELLED', cancelledAt: order.cancelledAt, updatedAt: now },
      );
      await this.resolveOpen(manager, orderId);
      return;
    }
    order.status = 'PENDING';
    order.matchedAt = null;
    await manager.update(
      ReconOrderEntity,
      { orderId },
      { status: 'PENDING', cancelledAt: order.cancelledAt, matchedAt: null, updatedAt: now },
    );
    await this.judge(manager, envelope, order);
  }

  async invoiceIssued(
    manager: EntityManager,
    envelope: Envelope,
    orderId: string,
    invoiceId: string,
    gross: string,
  ) {
    const order = await this.lockOrHold(manager, envelope, orderId);
    order.invoiceId = invoiceId;
    order.invoiceGross = gross;
    const change: Partial<ReconOrderEntity> = { invoiceId, invoiceGross: gross, updatedAt: new Date() };
    if (order.status === 'CANCELLED') {
      // Cancelled before any invoice existed: invoice reverses this one; pending until it has.
      order.status = 'PENDING';
      order.cancelledAt ??= order.updatedAt;
      Object.assign(change, { status: 'PENDING', cancelledAt: order.cancelledAt });
    }
    await manager.update(ReconOrderEntity, { orderId }, change);
    await this.judge(manager, envelope, order);
  }

  async invoiceRejected(manager: EntityManager, envelope: Envelope, orderId: string, invoiceId: string) {
    const order = await this.lockOrHold(manager, envelope, orderId);
    if (order.status !== 'PENDING') return;
    await manager.update(
      ReconOrderEntity,
      { orderId },
      { status: 'REJECTED', invoiceId, updatedAt: new Date() },
    );
    await this.resolveOpen(manager, orderId);
  }

  async authorityIssued(manager: EntityManager, envelope: Envelope, record: AuthorityRecordEntity) {
    if (await manager.findOneBy(AuthorityRecordEntity, { invoiceId: record.invoiceId })) return;
    await manager.insert(AuthorityRecordEntity, record);
    const order = await manager.findOne(ReconOrderEntity, {
      where: { invoiceId: record.invoiceId },
      lock: { mode: 'pessimistic_write' },
    });
    if (order) await this.judge(manager, envelope, order);
  }

  /**
   * A red-letter invoice as one side reported it: upserted by reversal id (either side may come first),
   * then the order is judged again. A repeated report writes the same figures.
   */
  async reversalReported(manager: EntityManager, envelope: Envelope, report: ReversalSide) {
    const order =
      report.side === 'invoice'
        ? await this.lockOrHold(manager, envelope, report.orderId)
        : await manager.findOne(ReconOrderEntity, {
            where: { invoiceId: report.invoiceId },
            lock: { mode: 'pessimistic_write' },
          });
    const sideColumns =
      report.side === 'invoice'
        ? { orderId: report.orderId, invoiceGross: report.gross }
        : { authorityGross: report.gross, authorityNumber: report.number };
    await manager.upsert(
      ReconReversalEntity,
      { reversalId: report.reversalId, invoiceId: report.invoiceId, ...sideColumns, updatedAt: new Date() },
      ['reversalId'],
    );
    if (order) await this.judge(manager, envelope, order);
  }

  /** A cancel's reversal was refused: the order is invoiced again, judged as such. */
  async cancelReversalRefused(manager: EntityManager, envelope: Envelope, orderId: string) {
    const order = await this.lockOrHold(manager, envelope, orderId);
    if (order.cancelledAt === null) return;
    order.cancelledAt = null;
    await manager.update(ReconOrderEntity, { orderId }, { cancelledAt: null, updatedAt: new Date() });
    await this.judge(manager, envelope, order);
  }

  /**
   * Stale orders, each flagged once: placed before `cutoff` with no terminal invoice yet
   * (NO_TERMINAL_INVOICE), cancelled before `cutoff` with their invoice still not fully reversed
   * (CANCELLED_NOT_REVERSED), or not cancelled with a red-letter invoice that only one side had reported
   * by `cutoff` (REVERSAL_ONE_SIDED; flagged again for a later reversal once the first was resolved).
   */
  async flagStale(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    const stale = await manager
      .getRepository(ReconOrderEntity)
      .createQueryBuilder('o')
      .leftJoin(DiscrepancyEntity, 'd', "d.order_id = o.order_id AND d.type = 'NO_TERMINAL_INVOICE'")
      .where("o.status = 'PENDING' AND o.cancelled_at IS NULL AND o.placed_at < :cutoff AND d.id IS NULL", {
        cutoff,
      })
      .orderBy('o.placed_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    for (const order of stale) {
      await this.flag(
        manager,
        null,
        order,
        'NO_TERMINAL_INVOICE',
        `no issued or rejected invoice since ${order.placedAt?.toISOString() ?? '?'}`,
      );
    }
    const room = limit - stale.length;
    const unreversed =
      room <= 0
        ? []
        : await manager
            .getRepository(ReconOrderEntity)
            .createQueryBuilder('o')
            .leftJoin(DiscrepancyEntity, 'd', "d.order_id = o.order_id AND d.type = 'CANCELLED_NOT_REVERSED'")
            .where("o.status = 'PENDING' AND o.cancelled_at < :cutoff AND d.id IS NULL", { cutoff })
            .orderBy('o.cancelled_at', 'ASC')
            .limit(room)
            .setLock('pessimistic_write')
            .setOnLocked('skip_locked')
            .getMany();
    for (const order of unreversed) {
      await this.flag(
        manager,
        null,
        order,
        'CANCELLED_NOT_REVERSED',
        `cancelled at ${order.cancelledAt?.toISOString() ?? '?'} but invoice ${order.invoiceId ?? '?'} is not fully reversed`,
      );
    }
    const left = room - unreversed.length;
    const oneSided =
      left <= 0
        ? []
        : await manager
            .getRepository(ReconOrderEntity)
            .createQueryBuilder('o')
            .innerJoin(ReconReversalEntity, 'r', 'r.invoice_id = o.invoice_id')
            .leftJoin(
              DiscrepancyEntity,
              'd',
              "d.order_id = o.order_id AND d.type = 'REVERSAL_ONE_SIDED' AND d.resolved_at IS NULL",
            )
            .where('o.cancelled_at IS NULL AND d.id IS NULL')
            .andWhere('(r.invoice_gross IS NULL OR r.authority_gross IS NULL) AND r.updated_at < :cutoff', {
              cutoff,
            })
            .orderBy('r.updated_at', 'ASC')
            .limit(left)
            .setLock('pessimistic_write')
            .setOnLocked('skip_locked')
            .getMany();
    let flaggedOneSided = 0;
    for (const order of oneSided) {
      const { reversals } = await this.factsOf(manager, order);
      const waiting = reversals
        .filter((r) => r.invoiceGross === null || r.authorityGross === null)
        .map((r) => `${r.reversalId} (${r.invoiceGross === null ? 'invoice' : 'authority'} side missing)`);
      if (waiting.length === 0) continue; // the other side arrived since the query
      await this.flag(
        manager,
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
   * The order's row, locked; created empty (placed_at NULL, nothing to judge) when a fact about the order
   * arrives before its OrderPlaced, so no fact is ever dropped for coming first.
   */
  private async lockOrHold(manager: EntityManager, envelope: Envelope, orderId: string) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ReconOrderEntity)
      .values({
        orderId,
        tenantId: envelope.tenantId,
        status: 'PENDING',
        expectedGross: null,
        invoiceId: null,
        invoiceGross: null,
        placedAt: null,
        matchedAt: null,
        cancelledAt: null,
        updatedAt: new Date(),
      })
      .orIgnore()
      .updateEntity(false)
      .execute();
    return manager.findOneOrFail(ReconOrderEntity, {
      where: { orderId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Every fact about the order's invoice. The reversals are read with a lock (order row first, then its
   * reversals, on every path), so a report the other side just committed is never missed.
   */
  private async factsOf(manager: EntityManager, order: ReconOrderEntity) {
    if (!order.invoiceId) return { authority: null, reversals: [] as ReconReversalEntity[] };
    const authority = await manager.findOneBy(AuthorityRecordEntity, { invoiceId: order.invoiceId });
    const reversals = await manager.find(ReconReversalEntity, {
      where: { invoiceId: order.invoiceId },
      order: { reversalId: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    return { authority, reversals };
  }

  private async judge(manager: EntityManager, envelope: Envelope, order: ReconOrderEntity) {
    const { authority, reversals } = await this.factsOf(manager, order);
    const facts: Facts = {
      status: order.status,
      expectedGross: order.expectedGross,
      invoiceGross: order.invoiceGross,
      authorityGross: authority?.totalGross ?? null,
      reversals,
      cancelled: order.cancelledAt !== null,
    };
    const verdict = evaluate(facts);
    if (!verdict) return;
    const reconciled = verdict === 'MATCHED' || verdict === 'REVERSED';
    // A repeated verdict keeps its row; a reconciled one still closes what the sweep flagged meanwhile.
    if (verdict !== order.status) {
      const now = new Date();
      await manager.update(
        ReconOrderEntity,
        { orderId: order.orderId },
        { status: verdict, matchedAt: reconciled ? now : null, updatedAt: now },
      );
      order.status = verdict;
      order.matchedAt = reconciled ? now : null;
    }
    if (reconciled) {
      await this.resolveOpen(manager, order.orderId);
    } else {
      const net = netTotals(facts);
      const detail =
        `order ${order.expectedGross ?? '?'} / invoice ${order.invoiceGross ?? '?'} / authority ${authority?.totalGross ?? '?'}` +
        (reversals.length === 0
          ? ''
          : `; reds ${reversals.map((r) => `${r.invoiceGross ?? '?'}/${r.authorityGross ?? '?'}`).join(', ')}` +
            `; net invoice ${net.netGross ?? '?'} / authority ${net.authorityNetGross ?? '?'}`);
      await this.flag(manager, envelope, order, 'TOTAL_MISMATCH', detail);
    }
  }

  private async flag(
    manager: EntityManager,
    causedBy: Envelope | null,
    order: ReconOrderEntity,
    type: DiscrepancyType,
    detail: string,
  ) {
    const existing = await manager.findOneBy(DiscrepancyEntity, { orderId: order.orderId, type });
    if (existing && !existing.resolvedAt) return;
    const found = { detail: detail.slice(0, 500), detectedAt: new Date(), resolvedAt: null };
    if (existing) {
      // The drift came back after being repaired: reopen the same discrepancy.
      await manager.update(DiscrepancyEntity, { id: existing.id }, found);
    } else {
      await manager.insert(DiscrepancyEntity, {
        id: uuidv7(),
        tenantId: order.tenantId,
        orderId: order.orderId,
        type,
        ...found,
      });
    }
    await this.outbox.append(manager, DiscrepancyDetected, {
      tenantId: order.tenantId,
      key: order.orderId,
      causedBy: causedBy ?? undefined,
      payload: { orderId: order.orderId, type, detail: detail.slice(0, 500) },
    });
  }

  private async resolveOpen(manager: EntityManager, orderId: string) {
    await manager.update(DiscrepancyEntity, { orderId, resolvedAt: IsNull() }, { resolvedAt: new Date() });
  }
}
