import { parseInvoiceNumber } from './invoice-number';

describe('parseInvoiceNumber', () => {
  it('reads year, province-level authority, channel and sequence', () => {
    expect(parseInvoiceNumber('24312000000001234567')).toEqual({
      ok: true,
      value: { year: 2024, province: '31', channel: '2', sequence: '000000001234567' },
    });
    expect(parseInvoiceNumber(' 25440100000000000001 ')).toMatchObject({
      ok: true,
      value: { year: 2025, province: '44' },
    });
  });

  it.each([
    ['2431200000000123456', 'INVOICE_NUMBER.LENGTH'],
    ['243120000000012345678', 'INVOICE_NUMBER.LENGTH'],
    ['12345678', 'INVOICE_NUMBER.LENGTH'],
    ['2431200000000123456X', 'INVOICE_NUMBER.CHARSET'],
    ['24312000000001234５67', 'INVOICE_NUMBER.CHARSET'],
    [2431200000000123, 'INPUT.TYPE'],
    [undefined, 'INPUT.REQUIRED'],
  ])('refuses %p with %s', (number, code) => {
    expect(parseInvoiceNumber(number as string)).toMatchObject({ ok: false, error: { code } });
  });
});
