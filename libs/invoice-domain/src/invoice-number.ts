import { expectString } from './input';
import { fail, ok, type Result } from './result';

export interface InvoiceNumber {
  /** Four-digit year: the number carries the last two digits of the Gregorian year. */
  readonly year: number;
  /** Two-digit code of the province-level tax authority (province, autonomous region, municipality, or city specifically designated in the state plan). */
  readonly province: string;
  /** One digit: the issuing channel. */
  readonly channel: string;
  /** Fifteen digits: the sequence number. */
  readonly sequence: string;
}

export const INVOICE_NUMBER_LENGTH = 20;

/**
 * Reads the 20-digit number of a fully digital e-invoice (全面数字化的电子发票): digits 1–2 year, 3–4
 * province-level authority, 5 issuing channel, 6–20 sequence. Surrounding whitespace is ignored.
 */
export function parseInvoiceNumber(number: string): Result<InvoiceNumber> {
  const text = expectString(number, 'invoice number');
  if (!text.ok) return text;
  const digits = text.value.trim();
  if (digits.length !== INVOICE_NUMBER_LENGTH) {
    return fail(
      'INVOICE_NUMBER.LENGTH',
      `a fully digital e-invoice number has ${INVOICE_NUMBER_LENGTH} digits, got ${digits.length} characters`,
    );
  }
  if (!/^\d+$/.test(digits)) return fail('INVOICE_NUMBER.CHARSET', 'an invoice number has digits only');
  return ok({
    year: 2000 + Number(digits.slice(0, 2)),
    province: digits.slice(2, 4),
    channel: digits.slice(4, 5),
    sequence: digits.slice(5),
  });
}
