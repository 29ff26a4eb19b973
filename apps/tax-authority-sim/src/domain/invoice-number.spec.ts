import { parseInvoiceNumber } from '@fapiao/invoice-domain';
import { formatInvoiceNumber, invoiceNumberPrefix } from './invoice-number';

describe('invoice numbers', () => {
  it('reads back as year, province of the seller, channel and 15-digit sequence', () => {
    const prefix = invoiceNumberPrefix(new Date('2025-06-01T08:00:00Z'), '91440300708461136T', '1');
    const number = formatInvoiceNumber(prefix, 42n);
    expect(number).toBe('25441000000000000042');
    expect(parseInvoiceNumber(number)).toEqual({
      ok: true,
      value: { year: 2025, province: '44', channel: '1', sequence: '000000000000042' },
    });
  });

  it('takes the year in China time: 2025-12-31T16:00Z is already 2026 in Beijing', () => {
    expect(invoiceNumberPrefix(new Date('2025-12-31T15:59:59.999Z'), '91110000802100433B', '3')).toBe(
      '25113',
    );
    expect(invoiceNumberPrefix(new Date('2025-12-31T16:00:00.000Z'), '91110000802100433B', '3')).toBe(
      '26113',
    );
  });

  it('keeps to 15 sequence digits and refuses what would not fit', () => {
    expect(formatInvoiceNumber('25441', 999_999_999_999_999n)).toHaveLength(20);
    expect(() => formatInvoiceNumber('25441', 10n ** 15n)).toThrow(RangeError);
    expect(() => formatInvoiceNumber('25441', 0n)).toThrow(RangeError);
    expect(() => invoiceNumberPrefix(new Date(), '91440300708461136T', '12')).toThrow(RangeError);
  });
});
