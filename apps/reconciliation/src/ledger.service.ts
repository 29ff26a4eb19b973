import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DiscrepancyDetected, type Envelope } from '@fapiao/contracts';
import { compareMoney } from '@fapiao/invoice-domain';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { evaluate, type DiscrepancyType } from './domain/reconciliation';
import { AuthorityRecordEntity } from './infrastructure/authority-record.entity';
import { DiscrepancyEntity } from './infrastructure/discrepancy.entity';
import { ReconOrderEntity } from './infrastructure/recon-order.entity';

const sameAmount = (a: string, b: string) => {
  const compared = compareMoney(a, b);
  return compared.ok && compared.value === 0;
};

/**
 * Records what each service observed about an order and judges it: MATCHED when order total = invoice
 * total = authority-issued total. Every method runs in the consumer's transaction; facts may arrive in any
 * order (they travel on different topics), so each one re-evaluates.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly outbox: OutboxWriter) {}

  async orderPlaced(
    manager: EntityManager,
    envelope: Envelope,
    orderId: string,
    expectedGross: string | null,
  ) {
    const existing = await manager.findOneBy(ReconOrderEntity, { orderId });
    if (existing) return;
    const now = new Date();
    await manager.insert(ReconOrderEntity, {
      orderId,
      tenantId: envelope.tenantId,
      status: 'PENDING',
      expectedGross,
      invoiceId: null,
      invoiceGross: null,
      placedAt: new Date(envelope.occurredAt),
      matchedAt: null,
      updatedAt: now,
    });
  }

  async orderCancelled(manager: EntityManager, envelope: Envelope, orderId: string) {
    const order = await this.lock(manager, orderId);
    if (!order) return;
    if (order.invoiceGross !== null) {
      await this.flag(
        manager,
        envelope,
        order,
        'ISSUED_FOR_CANCELLED_ORDER',
        'the order was cancelled after its invoice was issued',
      );
      return;
    }
    await manager.update(ReconOrderEntity, { orderId }, { status: 'CANCELLED', updatedAt: new Date() });
    await this.resolveOpen(manager, orderId);
  }

  async invoiceIssued(
    manager: EntityManager,
    envelope: Envelope,
    orderId: string,
    invoiceId: string,
    gross: string,
  ) {
    const order = await this.lock(manager, orderId);
    if (!order) return;
    order.invoiceId = invoiceId;
    order.invoiceGross = gross;
    if (order.status === 'CANCELLED') {
      await this.flag(
        manager,
        envelope,
        order,
        'ISSUED_FOR_CANCELLED_ORDER',
        `invoice ${invoiceId} issued for a cancelled order`,
      );
    }
    await manager.update(
      ReconOrderEntity,
      { orderId },
      { invoiceId, invoiceGross: gross, updatedAt: new Date() },
    );
    await this.judge(manager, envelope, order);
  }

  async invoiceRejected(manager: EntityManager, orderId: string, invoiceId: string) {
    const order = await this.lock(manager, orderId);
    if (!order || order.status !== 'PENDING') return;
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

  /** Orders placed before `cutoff` with no terminal invoice yet: each becomes one discrepancy. */
  async flagStale(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    const stale = await manager
      .getRepository(ReconOrderEntity)
      .createQueryBuilder('o')
      .leftJoin(DiscrepancyEntity, 'd', "d.order_id = o.order_id AND d.type = 'NO_TERMINAL_INVOICE'")
      .where("o.status = 'PENDING' AND o.placed_at < :cutoff AND d.id IS NULL", { cutoff })
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
        `no issued or rejected invoice since ${order.placedAt.toISOString()}`,
      );
    }
    return stale.length;
  }

  private lock(manager: EntityManager, orderId: string) {
    return manager.findOne(ReconOrderEntity, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
  }

  private async judge(manager: EntityManager, envelope: Envelope, order: ReconOrderEntity) {
    const authority = order.invoiceId
      ? await manager.findOneBy(AuthorityRecordEntity, { invoiceId: order.invoiceId })
      : null;
    const verdict = evaluate({ ...order, authorityGross: authority?.totalGross ?? null }, sameAmount);
    if (!verdict) return;
    const now = new Date();
    await manager.update(
      ReconOrderEntity,
      { orderId: order.orderId },
      { status: verdict, matchedAt: verdict === 'MATCHED' ? now : null, updatedAt: now },
    );
    if (verdict === 'MATCHED') {
      await this.resolveOpen(manager, order.orderId);
    } else {
      const detail = `order ${order.expectedGross ?? '?'} / invoice ${order.invoiceGross ?? '?'} / authority ${authority?.totalGross ?? '?'}`;
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
