/** Where an order stands against its invoice and the authority's record. */
export const RECON_STATUSES = ['PENDING', 'MATCHED', 'MISMATCH', 'REJECTED', 'CANCELLED'] as const;
export type ReconStatus = (typeof RECON_STATUSES)[number];

export const DISCREPANCY_TYPES = [
  /** No issued or rejected invoice long after the order was placed. */
  'NO_TERMINAL_INVOICE',
  /** Order total, invoice total and the authority's total disagree. */
  'TOTAL_MISMATCH',
  /** An invoice was issued for an order that had been cancelled. */
  'ISSUED_FOR_CANCELLED_ORDER',
] as const;
export type DiscrepancyType = (typeof DISCREPANCY_TYPES)[number];

export interface Facts {
  status: ReconStatus;
  expectedGross: string | null;
  invoiceGross: string | null;
  authorityGross: string | null;
}

/**
 * The verdict once the facts are in: MATCHED when order total = invoice total = authority-issued total.
 * Returns undefined while a fact is missing (the sweep flags orders that stay that way).
 */
export function evaluate(
  facts: Facts,
  equal: (a: string, b: string) => boolean,
): 'MATCHED' | 'MISMATCH' | undefined {
  if (facts.status !== 'PENDING' && facts.status !== 'MISMATCH') return undefined;
  const { expectedGross, invoiceGross, authorityGross } = facts;
  if (expectedGross === null || invoiceGross === null || authorityGross === null) return undefined;
  return equal(expectedGross, invoiceGross) && equal(invoiceGross, authorityGross) ? 'MATCHED' : 'MISMATCH';
}
