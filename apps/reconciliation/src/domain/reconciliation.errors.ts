import { DomainError } from '@fapiao/contracts';

export const ReconciliationErrors = {
  orderNotFound: (orderId: string) =>
    new DomainError(
      'not_found',
      'RECON.ORDER_NOT_FOUND',
      `No facts recorded for order ${orderId}`,
      'orderId',
    ),
};
