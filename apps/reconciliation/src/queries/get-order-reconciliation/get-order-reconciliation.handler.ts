import { Injectable } from '@nestjs/common';
import { netTotals } from '../../domain/reconciliation';
import { ReconciliationErrors } from '../../domain/reconciliation.errors';
import { ReconciliationRepository } from '../../domain/reconciliation.repository';
import type { OrderReconciliationView } from '../order-reconciliation.view';

/** What reconciliation has recorded and matched for one of the tenant's orders. */
@Injectable()
export class GetOrderReconciliationHandler {
  constructor(private readonly records: ReconciliationRepository) {}

  async execute(tenantId: string, orderId: string): Promise<OrderReconciliationView> {
    const order = await this.records.findOrder(tenantId, orderId);
    if (!order) throw ReconciliationErrors.orderNotFound(orderId);
    const invoiceIds = order.invoiceId ? [order.invoiceId] : [];
    const [authority = null] = (
      await this.records.findAuthorityRecords(invoiceIds, { lock: false })
    ).values();
    const [reversals = []] = (await this.records.reversalsOf(invoiceIds, { lock: false })).values();
    const net = netTotals({
      status: order.status,
      expectedGross: order.expectedGross,
      invoiceGross: order.invoiceGross,
      authorityGross: authority?.totalGross ?? null,
      reversals,
    });
    return {
      orderId: order.orderId,
      status: order.status,
      expectedGross: order.expectedGross,
      invoiceId: order.invoiceId,
      invoiceGross: order.invoiceGross,
      authorityGross: authority?.totalGross ?? null,
      authorityNumber: authority?.number ?? null,
      reversedGross: net.reversedGross,
      netGross: net.netGross,
      authorityNetGross: net.authorityNetGross,
      matchedAt: order.matchedAt?.toISOString() ?? null,
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      reversals: reversals.map((r) => ({
        reversalId: r.reversalId,
        invoiceGross: r.invoiceGross,
        authorityGross: r.authorityGross,
        authorityNumber: r.authorityNumber,
      })),
    };
  }
}
