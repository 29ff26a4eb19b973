import { DEFAULT_TAX_RATES, readTaxRate, resolveRateTable } from './tax-rate';

const table = (rates?: readonly string[]) => {
  const resolved = resolveRateTable(rates && { rates });
  if (!resolved.ok) throw new Error(resolved.error.message);
  return resolved.value;
};

describe('tax rates', () => {
  it('knows the rates in force and exemption by default', () => {
    expect(DEFAULT_TAX_RATES).toEqual(['0.13', '0.09', '0.06', '0.05', '0.03', '0.01', '0', 'exempt']);
    expect(readTaxRate('0.13', table())).toMatchObject({ ok: true, value: { label: '0.13', exempt: false } });
    expect(readTaxRate('0.130', table())).toMatchObject({ ok: true, value: { label: '0.13' } });
    expect(readTaxRate('0.00', table())).toMatchObject({ ok: true, value: { label: '0', exempt: false } });
    expect(readTaxRate('exempt', table())).toMatchObject({
      ok: true,
      value: { label: 'exempt', exempt: true },
    });
  });

  it.each([
    ['13%', 'TAX_RATE.FORMAT'],
    ['-0.13', 'TAX_RATE.FORMAT'],
    ['免税', 'TAX_RATE.FORMAT'],
    ['0.17', 'TAX_RATE.NOT_IN_TABLE'],
    ['0.16', 'TAX_RATE.NOT_IN_TABLE'],
    [0.13, 'INPUT.TYPE'],
  ])('refuses %p with %s', (rate, code) => {
    expect(readTaxRate(rate, table(), 'rate')).toMatchObject({ ok: false, error: { code, field: 'rate' } });
  });

  it('follows a configured table', () => {
    const old = table(['0.17', '0.11', '0.06']);
    expect(readTaxRate('0.17', old)).toMatchObject({ ok: true, value: { label: '0.17' } });
    expect(readTaxRate('exempt', old)).toMatchObject({ ok: false, error: { code: 'TAX_RATE.NOT_IN_TABLE' } });
  });

  it.each([[[]], [['1.13']], [['13%']], [[0.13]], ['0.13']])(
    'reports the bad table %p as configuration',
    (rates) => {
      expect(resolveRateTable({ rates: rates as string[] })).toMatchObject({
        ok: false,
        error: { code: 'CONFIG.INVALID' },
      });
    },
  );
});
