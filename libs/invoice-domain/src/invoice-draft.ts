import { describeType, isRecord, printableName } from './input';
import { type ComputedLine, type DraftLine, validateLines } from './lines';
import { atField, type DomainError, fail, failAll, ok, type Result, type ValidationFailure } from './result';
import { EXEMPT } from './tax-rate';
import { computeInvoiceTotals, type TotalsOptions } from './totals';
import { amountToChineseUppercase, type UppercaseUnit } from './uppercase';
import { type UsccOptions, validateUscc } from './uscc';

/** 增值税普通发票 (normal) or 增值税专用发票 (special, which lets the buyer deduct input VAT). */
export type InvoiceType = 'normal' | 'special';

export interface InvoiceDraft {
  readonly invoiceType: InvoiceType;
  readonly seller: { readonly name: string; readonly taxId: string };
  /** `taxId` may be omitted on a normal invoice to an individual; a special invoice requires it. */
  readonly buyer: { readonly name: string; readonly taxId?: string };
  readonly lines: readonly DraftLine[];
}

export interface DraftOptions extends TotalsOptions, UsccOptions {
  /** The unit written in `uppercaseGross`; default 元. */
  readonly unit?: UppercaseUnit;
}

export interface ValidatedInvoice {
  readonly invoiceType: InvoiceType;
  readonly seller: { readonly name: string; readonly taxId: string };
  /** `taxId` is undefined when a normal invoice's buyer gave none. */
  readonly buyer: { readonly name: string; readonly taxId: string | undefined };
  readonly lines: readonly ComputedLine[];
  readonly totals: { readonly net: string; readonly tax: string; readonly gross: string };
  /** 价税合计（大写）: the gross total in words. */
  readonly uppercaseGross: string;
}

/**
 * The most problems a rejected draft lists: 2000 bad lines must not become a rejection too large to store
 * or to send. The message still counts them all.
 */
export const MAX_REPORTED_ERRORS = 50;

/**
 * Validates a whole draft and computes what the invoice will show. A rejected draft reports every
 * failing field at once (the first MAX_REPORTED_ERRORS of them), as
 * `{ code: 'INVOICE.INVALID', errors: [{ code, message, field }] }`.
 */
export function validateInvoiceDraft(
  draft: InvoiceDraft,
  options?: DraftOptions,
): Result<ValidatedInvoice, ValidationFailure> {
  if (!isRecord(draft)) {
    return rejected([
      { code: 'INPUT.TYPE', message: `a draft must be an object, got ${describeType(draft)}` },
    ]);
  }
  const invoiceType: Result<InvoiceType> =
    draft.invoiceType === 'normal' || draft.invoiceType === 'special'
      ? ok(draft.invoiceType)
      : fail('INVOICE.TYPE', 'invoiceType must be "normal" or "special"', 'invoiceType');
  const special = invoiceType.ok && invoiceType.value === 'special';
  const seller = readParty(draft.seller, 'seller', (taxId) => readTaxId(taxId, 'seller', options));
  const buyer = readParty(draft.buyer, 'buyer', (taxId) => readBuyerTaxId(taxId, special, options));
  const lines = validateLines(draft.lines, options);
  const totals = lines.ok ? computeInvoiceTotals(lines.value, options) : undefined;
  const uppercaseGross = totals?.ok
    ? atField(amountToChineseUppercase(totals.value.gross, { unit: options?.unit }), 'totals.gross')
    : undefined;

  const errors: DomainError[] = [
    ...(invoiceType.ok ? [] : [invoiceType.error]),
    ...(seller.ok ? [] : seller.error.errors),
    ...(buyer.ok ? [] : buyer.error.errors),
    ...(lines.ok ? [] : lines.error.errors),
    ...(special ? exemptLines(draft.lines) : []),
    ...(totals && !totals.ok ? totals.error.errors : []),
    ...(uppercaseGross && !uppercaseGross.ok ? [uppercaseGross.error] : []),
  ];
  if (
    errors.length > 0 ||
    !invoiceType.ok ||
    !seller.ok ||
    !buyer.ok ||
    !lines.ok ||
    !totals?.ok ||
    !uppercaseGross?.ok
  ) {
    return rejected(errors);
  }
  const { net, tax, gross } = totals.value;
  return ok({
    invoiceType: invoiceType.value,
    seller: seller.value,
    buyer: buyer.value,
    lines: lines.value,
    totals: { net, tax, gross },
    uppercaseGross: uppercaseGross.value,
  });
}

function readParty<TaxId extends string | undefined>(
  value: unknown,
  path: 'seller' | 'buyer',
  readPartyTaxId: (taxId: unknown) => Result<TaxId>,
): Result<{ name: string; taxId: TaxId }, ValidationFailure> {
  if (!isRecord(value)) {
    const error: DomainError =
      value === undefined
        ? { code: 'INPUT.REQUIRED', message: `${path} is required`, field: path }
        : {
            code: 'INPUT.TYPE',
            message: `${path} must be an object, got ${describeType(value)}`,
            field: path,
          };
    return failAll([error]);
  }
  const name = printableName(value.name, `${path}.name`);
  const taxId = readPartyTaxId(value.taxId);
  if (!name.ok || !taxId.ok) {
    return failAll([name, taxId].flatMap((result) => (result.ok ? [] : [result.error])));
  }
  return ok({ name: name.value, taxId: taxId.value });
}

/** Taxpayer ids are unified social credit codes. */
function readTaxId(
  value: unknown,
  path: 'seller' | 'buyer',
  options: UsccOptions | undefined,
): Result<string> {
  const uscc = atField(validateUscc(value as string, options), `${path}.taxId`);
  return uscc.ok ? ok(uscc.value.normalized) : uscc;
}

/** Optional on a normal invoice (to an individual), required on a special one; blank counts as absent. */
function readBuyerTaxId(
  value: unknown,
  special: boolean,
  options: UsccOptions | undefined,
): Result<string | undefined> {
  const absent = value === undefined || (typeof value === 'string' && value.trim() === '');
  if (!absent) return readTaxId(value, 'buyer', options);
  return special
    ? fail(
        'INVOICE.BUYER_TAX_ID_REQUIRED',
        "a special VAT invoice names the buyer's taxpayer id",
        'buyer.taxId',
      )
    : ok(undefined);
}

/** Exempt sales may not be invoiced on a special VAT invoice: the buyer would deduct tax never charged. */
function exemptLines(lines: unknown): DomainError[] {
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((line: unknown, index) =>
    isRecord(line) && line.taxRate === EXEMPT
      ? [
          {
            code: 'INVOICE.SPECIAL_EXEMPT',
            message: 'exempt (免税) sales cannot go on a special VAT invoice',
            field: `lines[${index}].taxRate`,
          } as const,
        ]
      : [],
  );
}

function rejected(all: readonly DomainError[]): { readonly ok: false; readonly error: ValidationFailure } {
  const errors = all.slice(0, MAX_REPORTED_ERRORS);
  const listed = errors.map((error) => error.field ?? error.code).join(', ');
  const message =
    all.length > errors.length
      ? `the draft has ${all.length} problems, the first ${errors.length}: ${listed}`
      : `the draft has ${all.length} problem${all.length === 1 ? '' : 's'}: ${listed}`;
  return { ok: false, error: { code: 'INVOICE.INVALID', message, errors } };
}
