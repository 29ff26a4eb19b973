import { DomainError } from '@fapiao/contracts';

/** Why a message's tenant was refused: stable codes, poison unless the directory itself is away. */
export const TenantErrors = {
  unknown: (tenantId: string) =>
    new DomainError('validation', 'TENANT.UNKNOWN', `Tenant ${tenantId} is not known to auth`, 'tenantId'),
  /**
   * The message names a seller that is not its tenant's (another tenant's, or none at all). The tax id
   * stays out of the message: it travels into logs and dead-letter headers.
   */
  sellerMismatch: (tenantId: string) =>
    new DomainError(
      'forbidden',
      'TENANT.SELLER_MISMATCH',
      `The seller is not the seller of tenant ${tenantId}`,
      'seller.taxId',
    ),
  directoryUnavailable: (reason: string) =>
    new DomainError(
      'unavailable',
      'TENANT.DIRECTORY_UNAVAILABLE',
      `The tenant directory is unavailable: ${reason}`,
    ),
};
