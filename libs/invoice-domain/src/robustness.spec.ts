import fc from 'fast-check';
import {
  addMoney,
  ALL_ERROR_CODES,
  amountToChineseUppercase,
  applyConfirmationEvent,
  compareMoney,
  computeInvoiceTotals,
  isMoney,
  parseInvoiceNumber,
  parseMoney,
  planReversal,
  raiseConfirmationForm,
  splitTax,
  subtractMoney,
  validateInvoiceDraft,
  validateLines,
  validateTaxCode,
  validateUscc,
} from './index';

type AnyFunction = (...args: never[]) => unknown;

// Callers pass whatever JSON held: every validator answers with a Result and a listed code, never a throw.
const validators: Record<string, AnyFunction> = {
  validateUscc,
  amountToChineseUppercase,
  splitTax,
  parseInvoiceNumber,
  validateTaxCode,
  computeInvoiceTotals,
  validateLines,
  validateInvoiceDraft,
  parseMoney,
  addMoney,
  subtractMoney,
  compareMoney,
  raiseConfirmationForm,
  applyConfirmationEvent,
  planReversal,
};

const codes = new Set<string>(ALL_ERROR_CODES);
const anything = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
});

describe('bad input', () => {
  it.each(Object.entries(validators))('never makes %s throw', (_name, validate) => {
    fc.assert(
      fc.property(fc.array(anything, { maxLength: 3 }), (args) => {
        const result = (validate as (...args: unknown[]) => unknown)(...args) as {
          ok: boolean;
          error?: { code: string; errors?: { code: string }[] };
        };
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          expect(codes.has(result.error?.code as string)).toBe(true);
          for (const inner of result.error?.errors ?? []) expect(codes.has(inner.code)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    expect(isMoney(Symbol('x'))).toBe(false);
  });

  it('never makes a validator throw on near-valid shapes with odd values', () => {
    const maybe = <T>(valid: T) => fc.oneof(fc.constant(valid), anything);
    const line = fc.record(
      {
        name: maybe('*计算机外部设备*键盘'),
        taxCode: maybe('1090511030000000000'),
        quantity: maybe('2'),
        unitPrice: maybe('56.50'),
        amount: maybe('-13.00'),
        taxRate: maybe('0.13'),
        priceIncludesTax: maybe(true),
        kind: maybe('discount'),
        discountsLine: maybe(0),
      },
      { requiredKeys: [] },
    );
    const draft = fc.record({
      invoiceType: maybe('special'),
      seller: fc.record({ name: maybe('卖方'), taxId: maybe('91440300708461136T') }, { requiredKeys: [] }),
      buyer: fc.record({ name: maybe('买方'), taxId: maybe('91110000802100433B') }, { requiredKeys: [] }),
      lines: fc.oneof(fc.array(line, { maxLength: 4 }), fc.sparseArray(line, { maxLength: 4 }), anything),
    });
    const form = fc.record({
      blueInvoiceNumber: maybe('25442000000012345678'),
      initiator: maybe('seller'),
      scope: maybe('full'),
      status: fc.oneof(
        fc.constantFrom('raised', 'confirmed', 'confirmation-not-required', 'issued'),
        anything,
      ),
      raisedAt: maybe('2025-03-01T08:00:00.000Z'),
      expiresAt: maybe('2025-03-04T08:00:00.000Z'),
      updatedAt: maybe('2025-03-01T08:00:00.000Z'),
    });
    const event = fc.record({
      type: fc.oneof(fc.constantFrom('confirm', 'decline', 'revoke', 'expire', 'issue'), anything),
      by: maybe('buyer'),
      redInvoiceNumber: maybe('25442000000087654321'),
    });
    const figures = fc.record(
      { lineNo: maybe(1), amount: maybe('100.00'), tax: maybe('13.00'), quantity: maybe('1') },
      { requiredKeys: [] },
    );
    const reversal = fc.record({
      blue: fc.record({
        number: maybe('25442000000012345678'),
        lines: fc.oneof(fc.array(figures, { maxLength: 3 }), anything),
      }),
      previousReversals: fc.oneof(
        fc.array(fc.record({ kind: maybe('partial'), lines: fc.array(figures, { maxLength: 2 }) }), {
          maxLength: 2,
        }),
        anything,
      ),
      request: fc.oneof(
        fc.record({ kind: maybe('partial'), lines: fc.array(figures, { maxLength: 3 }) }),
        anything,
      ),
    });
    const outcome = (result: { ok: boolean; error?: { code: string } }) => {
      expect(typeof result.ok).toBe('boolean');
      if (!result.ok) expect(codes.has(result.error?.code as string)).toBe(true);
    };
    const runs = { numRuns: 300 };
    fc.assert(
      fc.property(draft, (value) => outcome(validateInvoiceDraft(value as never))),
      runs,
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 4 }), (value) => outcome(computeInvoiceTotals(value as never))),
      runs,
    );
    fc.assert(
      fc.property(form, event, fc.date(), (f, e, now) =>
        outcome(applyConfirmationEvent(f as never, e as never, now)),
      ),
      runs,
    );
    fc.assert(
      fc.property(form, fc.date(), (f, now) => outcome(raiseConfirmationForm(f as never, now))),
      runs,
    );
    fc.assert(
      fc.property(reversal, (value) => outcome(planReversal(value as never))),
      runs,
    );
  });
});
