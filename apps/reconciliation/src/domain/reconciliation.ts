import { addMoney, compareMoney } from '@fapiao/invoice-domain';

/** Where an order stands against its invoice, its red-letter reversals and the authority's records. */
export const RECON_STATUSES = [
  'PENDING',
  'MATCHED',
  'MISMATCH',
  'REJECTED',
  'CANCELLED',
  'REVERSED',
] as const;
export type ReconStatus = (typeof RECON_STATUSES)[number];

export const DISCREPANCY_TYPES = [
  /** No issued or rejected invoice long after the order was placed. */
  'NO_TERMINAL_INVOICE',
  /** Order total, invoice total and the authority's total (blue or net of reversals) disagree. */
  'TOTAL_MISMATCH',
  /** Earlier builds: an invoice was issued for an order that had been cancelled. No longer raised. */
  'ISSUED_FOR_CANCELLED_ORDER',
  /** The order was cancelled long ago but its invoice is still not fully reversed. */
  'CANCELLED_NOT_REVERSED',
  /** A red-letter invoice of an order that was not cancelled, reported long ago by one side only. */
  'REVERSAL_ONE_SIDED',
] as const;
export type DiscrepancyType = (typeof DISCREPANCY_TYPES)[number];

/** One red-letter invoice as each side reported it (negative gross); null until that side reports. */
export interface ReversalFacts {
  invoiceGross: string | null;
  authorityGross: string | null;
}

/** What reconciliation knows about one order: its ledger record. */
export interface ReconOrder {
  orderId: string;
  tenantId: string;
  status: ReconStatus;
  /** The order's total recomputed from its lines; null if the order was invalid. */
  expectedGross: string | null;
  invoiceId: string | null;
  invoiceGross: string | null;
  /** When the order was placed; null while only facts from other topics have arrived. */
  placedAt: Date | null;
  matchedAt: Date | null;
  /** When the order was cancelled; cleared when invoice refused the cancel's reversal. */
  cancelledAt: Date | null;
  updatedAt: Date;
}

/** What the authority issued for a (blue) invoice; it may be reported before the invoice's own event. */
export interface AuthorityRecord {
  invoiceId: string;
  number: string;
  totalGross: string;
  issuedAt: Date;
}

/** One red-letter invoice: either side may report it first, the other fills in its own figures. */
export interface ReversalRecord extends ReversalFacts {
  reversalId: string;
  invoiceId: string;
  /** Known from the invoice side only. */
  orderId: string | null;
  /** The red-letter invoice's 20-digit number, as the authority issued it. */
  authorityNumber: string | null;
  updatedAt: Date;
}

export interface Discrepancy {
  id: string;
  tenantId: string;
  orderId: string;
  type: DiscrepancyType;
  detail: string;
  detectedAt: Date;
  /** Set when later facts repaired the drift. */
  resolvedAt: Date | null;
}

export interface Facts {
  status: ReconStatus;
  expectedGross: string | null;
  /** The blue invoice's gross (InvoiceIssued). */
  invoiceGross: string | null;
  /** The blue invoice's gross as the authority issued it. */
  authorityGross: string | null;
  /** Every red-letter reversal of the invoice. */
  reversals?: readonly ReversalFacts[];
  /** The order was cancelled: whatever was invoiced must be reversed to nothing. */
  cancelled?: boolean;
}

export interface NetTotals {
  /** Σ invoice-side reds (negative, or "0.00"). */
  reversedGross: string;
  /** Blue + invoice-side reds; null before the invoice was issued. */
  netGross: string | null;
  /** Authority blue + authority reds; null before the authority's blue record. */
  authorityNetGross: string | null;
}

const sum = (amounts: readonly string[]): string | undefined => {
  const total = addMoney(...amounts);
  return total.ok ? total.value : undefined;
};

const compare = (a: string, b: string): -1 | 0 | 1 | undefined => {
  const compared = compareMoney(a, b);
  return compared.ok ? compared.value : undefined;
};

const present = (amounts: readonly (string | null)[]): string[] =>
  amounts.filter((amount): amount is string => amount !== null);

/** Order total = blue − red, on each side, from whatever has been reported so far. */
export function netTotals(facts: Facts): NetTotals {
  const reversals = facts.reversals ?? [];
  const invoiceReds = present(reversals.map((r) => r.invoiceGross));
  const authorityReds = present(reversals.map((r) => r.authorityGross));
  const net = (blue: string | null, reds: string[]) =>
    blue === null ? null : (sum([blue, ...reds]) ?? null);
  return {
    reversedGross: sum(invoiceReds) ?? '0.00',
    netGross: net(facts.invoiceGross, invoiceReds),
    authorityNetGross: net(facts.authorityGross, authorityReds),
  };
}

/**
 * The verdict once the facts are in, or undefined while one is missing (the sweep flags orders that stay
 * that way). The blue invoice: order total = invoice total = authority-issued total. Each reversal: the
 * invoice's and the authority's red totals agree. Then net invoiced (blue + reds) = authority net, and it
 * is never negative. A cancelled order waits until its net is 0. REVERSED when everything matches and
 * nothing remains invoiced, MATCHED when something does, MISMATCH as soon as two known figures disagree.
 */
export function evaluate(facts: Facts): 'MATCHED' | 'REVERSED' | 'MISMATCH' | undefined {
  if (facts.status === 'REJECTED' || facts.status === 'CANCELLED') return undefined;
  const { expectedGross, invoiceGross, authorityGross } = facts;
  if (expectedGross === null || invoiceGross === null || authorityGross === null) return undefined;
  if (compare(expectedGross, invoiceGross) !== 0 || compare(invoiceGross, authorityGross) !== 0) {
    return 'MISMATCH';
  }

  const reversals = facts.reversals ?? [];
  let waiting = false;
  for (const { invoiceGross: red, authorityGross: authorityRed } of reversals) {
    if (red === null || authorityRed === null) waiting = true;
    else if (compare(red, authorityRed) !== 0) return 'MISMATCH';
  }
  if (waiting) return undefined;

  const { netGross, authorityNetGross } = netTotals(facts);
  if (netGross === null || authorityNetGross === null) return 'MISMATCH'; // an amount out of range
  if (compare(netGross, authorityNetGross) !== 0) return 'MISMATCH';
  const remaining = compare(netGross, '0');
  if (remaining === undefined || remaining < 0) return 'MISMATCH'; // reversed more than was invoiced
  if (remaining === 0) return 'REVERSED';
  return facts.cancelled ? undefined : 'MATCHED';
}
