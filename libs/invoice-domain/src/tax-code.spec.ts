import { validateTaxCode } from './tax-code';

describe('validateTaxCode', () => {
  it.each([
    ['1010101020000000000', 'goods'],
    ['1090511030000000000', 'goods'],
    ['2010100000000000000', 'labour-services'],
    ['3040201010000000000', 'services'],
    ['3049900000000000000', 'services'],
    ['4010100000000000000', 'intangible-assets'],
    ['5010100000000000000', 'immovable-property'],
    ['6010000000000000000', 'non-taxable'],
    ['1111111111111111111', 'goods'],
  ])('accepts %s (%s)', (code, category) => {
    expect(validateTaxCode(code)).toEqual({ ok: true, value: { normalized: code, category } });
  });

  it.each([
    ['304020101000000000', 'TAX_CODE.LENGTH'],
    ['30402010100000000000', 'TAX_CODE.LENGTH'],
    ['304020101000000000A', 'TAX_CODE.CHARSET'],
    ['3040201010000000000 x', 'TAX_CODE.LENGTH'],
    ['7040201010000000000', 'TAX_CODE.CATEGORY'],
    ['0040201010000000000', 'TAX_CODE.CATEGORY'],
    ['3000000000000000000', 'TAX_CODE.STRUCTURE'],
    ['3040001010000000000', 'TAX_CODE.STRUCTURE'],
    ['3040201010000000001', 'TAX_CODE.STRUCTURE'],
    [3040201010000000000, 'INPUT.TYPE'],
  ])('refuses %p with %s', (code, expected) => {
    expect(validateTaxCode(code as string)).toMatchObject({ ok: false, error: { code: expected } });
  });
});
