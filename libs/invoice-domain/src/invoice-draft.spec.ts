import { type InvoiceDraft, MAX_REPORTED_ERRORS, validateInvoiceDraft } from './invoice-draft';

const draft: InvoiceDraft = {
  invoiceType: 'special',
  seller: { name: '深圳市腾讯计算机系统有限公司', taxId: '91440300708461136T' },
  buyer: { name: '北京百度网讯科技有限公司', taxId: '91110000802100433B' },
  lines: [
    {
      name: '*计算机外部设备*键盘',
      taxCode: '1090511030000000000',
      quantity: '2',
      unitPrice: '56.50',
      taxRate: '0.13',
      priceIncludesTax: true,
    },
    {
      name: '*计算机外部设备*键盘',
      taxCode: '1090511030000000000',
      amount: '-13.00',
      taxRate: '0.13',
      priceIncludesTax: true,
      kind: 'discount',
      discountsLine: 0,
    },
    {
      name: '*信息技术服务*运维服务',
      taxCode: '3040201010000000000',
      amount: '1000.00',
      taxRate: '0.06',
      priceIncludesTax: false,
    },
  ],
};

describe('validateInvoiceDraft', () => {
  it('computes lines, totals and the gross in words', () => {
    const result = validateInvoiceDraft(draft);
    expect(result).toMatchObject({
      ok: true,
      value: {
        invoiceType: 'special',
        seller: { taxId: '91440300708461136T' },
        buyer: { taxId: '91110000802100433B' },
        lines: [
          { net: '100.00', tax: '13.00' },
          { net: '-11.50', tax: '-1.50' },
          { net: '1000.00', tax: '60.00', gross: '1060.00' },
        ],
        totals: { net: '1088.50', tax: '71.50', gross: '1160.00' },
        uppercaseGross: '壹仟壹佰陆拾元整',
      },
    });
  });

  it('lets a normal invoice to an individual omit the buyer tax id, and writes 圆 when asked', () => {
    const toPerson = { ...draft, invoiceType: 'normal' as const, buyer: { name: '张三' } };
    expect(validateInvoiceDraft(toPerson, { unit: '圆' })).toMatchObject({
      ok: true,
      value: { buyer: { name: '张三', taxId: undefined }, uppercaseGross: '壹仟壹佰陆拾圆整' },
    });
    expect(validateInvoiceDraft({ ...toPerson, buyer: { name: '张三', taxId: ' ' } }).ok).toBe(true);
  });

  it('reports every failing field of a rejected draft', () => {
    const result = validateInvoiceDraft({
      invoiceType: 'special',
      seller: { name: '', taxId: '911100001000000000' },
      buyer: { name: '某公司' },
      lines: [
        draft.lines[0],
        { ...draft.lines[2], taxCode: '30402010100000000' },
        { ...draft.lines[0], amount: '120.00' },
        { ...draft.lines[2], taxRate: 'exempt' },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVOICE.INVALID');
    expect(result.error.errors.map((error) => [error.code, error.field])).toEqual([
      ['INPUT.REQUIRED', 'seller.name'],
      ['USCC.CHECKSUM', 'seller.taxId'],
      ['INVOICE.BUYER_TAX_ID_REQUIRED', 'buyer.taxId'],
      ['TAX_CODE.LENGTH', 'lines[1].taxCode'],
      ['LINE.AMOUNT_MISMATCH', 'lines[2].amount'],
      ['INVOICE.SPECIAL_EXEMPT', 'lines[3].taxRate'],
    ]);
    expect(result.error.message).toContain('seller.taxId');
  });

  it.each([
    ['a line feed', '某公司\n退款请转账至'],
    ['a NUL', '某\u0000公司'],
    ['DEL', '某公司\u007f'],
    ['a C1 control', '某\u0085公司'],
    ['a right-to-left override', '某公司\u202e司公某'],
    ['a left-to-right isolate', '\u2066某公司\u2069'],
    ['a right-to-left mark', '某\u200f公司'],
  ])('refuses a name with %s, for either party and any line', (_what, name) => {
    const result = validateInvoiceDraft({
      ...draft,
      seller: { ...draft.seller, name },
      buyer: { ...draft.buyer, name },
      lines: [draft.lines[0], draft.lines[1], { ...draft.lines[2], name }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.errors.map((error) => [error.code, error.field])).toEqual([
      ['INPUT.FORBIDDEN_CHARACTER', 'seller.name'],
      ['INPUT.FORBIDDEN_CHARACTER', 'buyer.name'],
      ['INPUT.FORBIDDEN_CHARACTER', 'lines[2].name'],
    ]);
  });

  it('accepts names with Chinese and ordinary punctuation, spaces and full-width characters', () => {
    const name = '北京 百度（网讯）科技有限公司 — Baidu & Co., Ltd.';
    expect(validateInvoiceDraft({ ...draft, buyer: { ...draft.buyer, name } }).ok).toBe(true);
  });

  it(`lists the first ${MAX_REPORTED_ERRORS} problems of a draft with many, and counts them all`, () => {
    const bad = { ...draft.lines[2], taxRate: '0.07' };
    const result = validateInvoiceDraft({ ...draft, lines: Array.from({ length: 250 }, () => bad) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.error.errors[0]).toMatchObject({
      code: 'TAX_RATE.NOT_IN_TABLE',
      field: 'lines[0].taxRate',
    });
    expect(result.error.errors.at(-1)?.field).toBe(`lines[${MAX_REPORTED_ERRORS - 1}].taxRate`);
    expect(result.error.message).toMatch(/^the draft has 250 problems, the first 50: /);
  });

  it('refuses what is not a draft without throwing', () => {
    for (const bad of [null, 'draft', [], 42, { lines: {} }]) {
      const result = validateInvoiceDraft(bad as never);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVOICE.INVALID' } });
    }
    const result = validateInvoiceDraft({ lines: [] } as never);
    if (!result.ok) {
      expect(result.error.errors.map((error) => error.field)).toEqual([
        'invoiceType',
        'seller',
        'buyer',
        'lines',
      ]);
    }
  });

  it('passes configuration through', () => {
    const oldRates = { ...draft, lines: [{ ...draft.lines[2], taxRate: '0.17' }] };
    expect(validateInvoiceDraft(oldRates)).toMatchObject({
      ok: false,
      error: { errors: [{ code: 'TAX_RATE.NOT_IN_TABLE' }] },
    });
    expect(validateInvoiceDraft(oldRates, { rates: ['0.17'] })).toMatchObject({
      ok: true,
      value: { totals: { gross: '1170.00' } },
    });
    expect(validateInvoiceDraft(draft, { rates: [] })).toMatchObject({
      ok: false,
      error: { errors: [{ code: 'CONFIG.INVALID' }] },
    });
  });
});
