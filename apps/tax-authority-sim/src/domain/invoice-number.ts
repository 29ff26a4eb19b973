import { inChina } from '@fapiao/invoice-domain';

export const SEQUENCE_DIGITS = 15;
const MAX_SEQUENCE = 10n ** BigInt(SEQUENCE_DIGITS) - 1n;

/**
 * The first five digits of a fully digital e-invoice number: the year's last two digits (China time),
 * the province-level authority (characters 3–4 of the seller's USCC, its administrative division) and
 * the issuing channel. The sequence is allocated per prefix.
 */
export function invoiceNumberPrefix(issuedAt: Date, sellerTaxId: string, channel: string): string {
  const year = String(inChina(issuedAt).getUTCFullYear() % 100).padStart(2, '0');
  const province = sellerTaxId.slice(2, 4);
  if (!/^\d{2}$/.test(province)) throw new RangeError(`no province in seller tax id ${sellerTaxId}`);
  if (!/^\d$/.test(channel)) throw new RangeError(`the channel is one digit, got ${channel}`);
  return `${year}${province}${channel}`;
}

/** The 20-digit number: prefix and the zero-padded 15-digit sequence. */
export function formatInvoiceNumber(prefix: string, sequence: bigint): string {
  if (sequence < 1n || sequence > MAX_SEQUENCE) {
    throw new RangeError(`sequence ${sequence} is outside 1..${MAX_SEQUENCE} for prefix ${prefix}`);
  }
  return prefix + sequence.toString().padStart(SEQUENCE_DIGITS, '0');
}
