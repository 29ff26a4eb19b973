import { DomainError } from '@fapiao/contracts';

export const ReconciliationErrors = {
  orderNotFound: (orderId: string) =>
    new DomainError(
      'not_found',
      'RECON.ORDER_NOT_FOUND',
      `No facts recorded for order ${orderId}`,
      'orderId',
    ),
  /** A fact about another tenant's order or invoice: refused (dead-lettered), never merged into its record. */
  tenantMismatch: (orderId: string, tenantId: string) =>
    new DomainError(
      'forbidden',
      'RECON.TENANT_MISMATCH',
      `Order ${orderId} does not belong to tenant ${tenantId}`,
      'tenantId',
    ),
};
