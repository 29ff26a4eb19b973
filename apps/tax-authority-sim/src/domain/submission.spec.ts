import type { AuthorityIssueRequest } from '@fapiao/contracts';
import { checkSubmission } from './submission';

const valid: AuthorityIssueRequest = {
  serial: 's-1',
  kind: 'blue',
  invoiceType: 'normal',
  seller: { taxId: '91440300708461136T' },
  buyer: { name: '买方', taxId: '91110000802100433B' },
  lines: [
    {
      lineNo: 1,
      name: '软件服务',
      taxCode: '3040201000000000000',
      quantity: '3',
      unitPrice: '33.33',
      taxRate: '0.06',
      priceIncludesTax: true,
      net: '94.33',
      tax: '5.66',
      gross: '99.99',
    },
  ],
  totals: { net: '94.33', tax: '5.66', gross: '99.99' },
};

describe('checkSubmission', () => {
  it('accepts a consistent blue invoice (tax-inclusive price, quantity × price within 0.01)', () => {
    expect(checkSubmission(valid)).toEqual([]);
  });

  it('reports every problem at once, each with its field', () => {
    const errors = checkSubmission({
      ...valid,
      kind: 'red',
      seller: { taxId: '91440300708461136A' },
      lines: [{ ...valid.lines[0], unitPrice: '40' }],
      totals: { ...valid.totals, tax: '5.67' },
    });
    expect(errors.map((error) => [error.code, error.field])).toEqual([
      ['SIM.SELLER_TAX_ID_INVALID', 'seller.taxId'],
      ['SIM.ORIGINAL_NUMBER_REQUIRED', 'originalNumber'],
      ['SIM.RED_LETTER_FORM_REQUIRED', 'redLetterFormId'],
      ['SIM.AMOUNT_SIGN', 'lines[0].net'],
      ['SIM.LINE_AMOUNTS_INVALID', 'lines[0].unitPrice'],
      ['SIM.TOTALS_MISMATCH', 'totals.tax'],
    ]);
  });

  it('wants negative quantities and amounts on a red-letter invoice, and no original on a blue one', () => {
    const negative = { ...valid.lines[0], quantity: '-3', net: '-94.33', tax: '-5.66', gross: '-99.99' };
    expect(
      checkSubmission({
        ...valid,
        kind: 'red',
        lines: [negative],
        totals: { net: '-94.33', tax: '-5.66', gross: '-99.99' },
        originalNumber: '25441000000000000001',
        redLetterFormId: 'f',
      }),
    ).toEqual([]);
    expect(checkSubmission({ ...valid, originalNumber: '25441000000000000001' })).toEqual([
      expect.objectContaining({ code: 'SIM.ORIGINAL_NOT_ALLOWED', field: 'originalNumber' }),
    ]);
  });
});
