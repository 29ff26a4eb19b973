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
  /** Another transaction wrote one of a batch's authority records meanwhile: run the batch again. */
  concurrentAuthorityRecord: (invoiceIds: string[]) =>
    new DomainError(
      'concurrency',
      'RECON.CONCURRENT_AUTHORITY_RECORD',
      `An authority record of invoices ${invoiceIds.join(', ')} was written concurrently`,
      'invoiceId',
    ),
};
