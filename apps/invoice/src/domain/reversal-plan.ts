import { DomainError, type ReverseInvoiceRequest } from '@fapiao/contracts';
import Decimal from 'decimal.js';
import { planReversal, type PreviousReversal, type ReversalPlan } from '@fapiao/invoice-domain';

/** The blue invoice's figures a reversal is planned against. */
export interface BlueInvoice {
  number: string;
  lines: readonly { lineNo: number; net: string; tax: string; quantity: string }[];
}

export type ReversalScope = 'full' | NonNullable<ReverseInvoiceRequest['lines']>;

/** Reason 01 (开票有误, issued in error) is corrected by reversing the whole invoice (the authority's rule). */
const FULL_ONLY_REASONS: readonly string[] = ['01'];

/** Refusals that are about the invoice's state rather than the request's figures. */
const CONFLICTS = new Set(['REVERSAL.ALREADY_FULLY_REVERSED', 'REVERSAL.ALREADY_PARTIALLY_REVERSED']);

/**
 * Plans a red-letter invoice against the blue one and the reversals already issued, with the same domain
 * rules the authority applies, so that a second full reversal or an over-reversal is refused here with a
 * stable code instead of at the authority. Throws a DomainError listing every problem.
 */
export function planInvoiceReversal(
  blue: BlueInvoice,
  issued: readonly PreviousReversal[],
  scope: ReversalScope,
  reasonCode: string,
): ReversalPlan {
  if (scope !== 'full' && FULL_ONLY_REASONS.includes(reasonCode)) {
    throw new DomainError(
      'validation',
      'REVERSAL.REASON_REQUIRES_FULL',
      `Reason ${reasonCode} (issued in error) reverses the whole invoice: omit lines`,
      'reasonCode',
    );
  }
  const planned = planReversal({
    blue: {
      number: blue.number,
      lines: blue.lines.map(({ lineNo, net, tax, quantity }) => ({ lineNo, amount: net, tax, quantity })),
    },
    previousReversals: issued,
    request: scope === 'full' ? { kind: 'full' } : { kind: 'partial', lines: scope },
  });
  if (planned.ok) return planned.value;
  const errors = planned.error.errors.map(({ code, message, field }) => ({
    code,
    message,
    ...(field ? { field: field.replace(/^request\.kind$/, 'lines').replace(/^request\./, '') } : {}),
  }));
  const [first] = errors;
  throw new DomainError(
    CONFLICTS.has(first.code) ? 'conflict' : 'validation',
    first.code,
    first.message,
    first.field,
    errors,
  );
}

/**
 * What a cancellation reverses: the whole invoice when nothing was reversed yet, else what the partial
 * reversals left on each line; null when nothing remains.
 */
export function remainderScope(blue: BlueInvoice, issued: readonly PreviousReversal[]): ReversalScope | null {
  if (issued.length === 0) return 'full';
  if (issued.some((reversal) => reversal.kind === 'full')) return null;
  const lines = blue.lines.flatMap(({ lineNo, net }) => {
    // Reversal lines carry negative amounts: adding them takes back from the blue line.
    const remaining = issued
      .flatMap((reversal) => reversal.lines)
      .filter((line) => line.lineNo === lineNo)
      .reduce((left, line) => left.plus(line.amount), new Decimal(net));
    return remaining.gt(0) ? [{ lineNo, amount: remaining.toFixed(2) }] : [];
  });
  return lines.length > 0 ? lines : null;
}
