import type { AuthorityRedLetterForm, PayloadOf, ReverseInvoice } from '@fapiao/contracts';
import { formRequest, redInvoiceRequest } from './red-letter-request';

const command: PayloadOf<typeof ReverseInvoice> = {
  invoiceId: '0196a000-0000-7000-8000-000000000001',
  reversalId: '0196a000-0000-7000-8000-000000000002',
  formSerial: 'RF1',
  redSerial: 'RI1',
  blueNumber: '26440000000000000001',
  reasonCode: '02',
  scope: [{ lineNo: 1, amount: '250.00' }],
  invoiceType: 'normal',
  seller: { taxId: '91440300708461136T' },
  buyer: { name: 'Buyer' },
  blueLines: [
    {
      lineNo: 1,
      name: 'Service',
      taxCode: '3040201010000000000',
      quantity: '3',
      unitPrice: '333.33',
      taxRate: '0.13',
      priceIncludesTax: false,
      unit: 'h',
      net: '999.99',
      tax: '130.00',
      gross: '1129.99',
    },
    {
      lineNo: 2,
      name: 'Goods',
      taxCode: '1090101010000000000',
      quantity: '2',
      unitPrice: '106.00',
      taxRate: '0.06',
      priceIncludesTax: true,
      net: '200.00',
      tax: '12.00',
      gross: '212.00',
    },
  ],
};

const form = (lines: AuthorityRedLetterForm['lines'], totals: AuthorityRedLetterForm['totals']) =>
  ({ id: 'F1', state: 'confirmed', lines, totals }) as AuthorityRedLetterForm;

const worth = (line: { quantity: string; unitPrice: string }) =>
  (Number(line.quantity) * Number(line.unitPrice)).toFixed(2);

describe('red-letter requests', () => {
  it('raises the form as the seller, for the command scope and reason', () => {
    expect(formRequest(command)).toEqual({
      serial: 'RF1',
      blueNumber: '26440000000000000001',
      initiator: 'seller',
      reasonCode: '02',
      lines: [{ lineNo: 1, amount: '250.00' }],
    });
  });

  it("mirrors whole lines with the blue quantity and unit price, and carries the form's totals and id", () => {
    const request = redInvoiceRequest(
      command,
      form(
        [
          { lineNo: 1, amount: '-999.99', tax: '-130.00', quantity: '-3' },
          { lineNo: 2, amount: '-200.00', tax: '-12.00' },
        ],
        { net: '-1199.99', tax: '-142.00', gross: '-1341.99' },
      ),
    );
    expect(request).toMatchObject({
      serial: 'RI1',
      kind: 'red',
      originalNumber: '26440000000000000001',
      redLetterFormId: 'F1',
      totals: { net: '-1199.99', tax: '-142.00', gross: '-1341.99' },
    });
    expect(request.lines[0]).toMatchObject({
      quantity: '-3',
      unitPrice: '333.33',
      unit: 'h',
      gross: '-1129.99',
    });
    // Gross-priced line: quantity × unit price gives the gross amount.
    expect(request.lines[1]).toMatchObject({ quantity: '-2', unitPrice: '106.00', gross: '-212.00' });
  });

  it('takes back part of a line as that amount’s worth at the blue unit price', () => {
    const [line] = redInvoiceRequest(
      command,
      form([{ lineNo: 1, amount: '-250.00', tax: '-32.50' }], {
        net: '-250.00',
        tax: '-32.50',
        gross: '-282.50',
      }),
    ).lines;
    expect(line.unitPrice).toBe('333.33');
    expect(Number(line.quantity)).toBeLessThan(0);
    expect(worth({ quantity: line.quantity.slice(1), unitPrice: line.unitPrice })).toBe('250.00');
  });

  it("prices a returned quantity that does not fit the blue unit price by the form's amount", () => {
    const [line] = redInvoiceRequest(
      command,
      form([{ lineNo: 1, amount: '-300.00', tax: '-39.00', quantity: '-1' }], {
        net: '-300.00',
        tax: '-39.00',
        gross: '-339.00',
      }),
    ).lines;
    expect(line).toMatchObject({ quantity: '-1', unitPrice: '300', net: '-300.00' });
  });

  it('refuses a form line the blue invoice lacks', () => {
    expect(() =>
      redInvoiceRequest(
        command,
        form([{ lineNo: 7, amount: '-1.00', tax: '0.00' }], { net: '-1.00', tax: '0.00', gross: '-1.00' }),
      ),
    ).toThrow(/line 7/);
  });
});
