// Pure invoice rules: no framework imports (enforced by the type:domain lint boundary).
export { ALL_ERROR_CODES, ERROR_CODES, type ErrorCode } from './errors';
export type { DomainError, Result, ValidationFailure } from './result';
export {
  addMoney,
  compareMoney,
  isMoney,
  MAX_MONEY_INTEGER_DIGITS,
  parseMoney,
  subtractMoney,
} from './money';
export {
  amountToChineseUppercase,
  MAX_UPPERCASE_INTEGER_DIGITS,
  type UppercaseOptions,
  type UppercaseUnit,
} from './uppercase';
export { USCC_LENGTH, type UsccOptions, validateUscc } from './uscc';
export { DEFAULT_TAX_RATES, EXEMPT, type TaxRateOptions } from './tax-rate';
export { splitTax, type TaxSplit, type TaxSplitInput } from './tax-split';
export { INVOICE_NUMBER_LENGTH, type InvoiceNumber, parseInvoiceNumber } from './invoice-number';
export { TAX_CODE_CATEGORIES, TAX_CODE_LENGTH, type TaxCodeCategory, validateTaxCode } from './tax-code';
export {
  computeInvoiceTotals,
  DEFAULT_INVOICE_TAX_TOLERANCE,
  DEFAULT_LINE_TAX_TOLERANCE,
  type InvoiceTotals,
  type TotalsLine,
  type TotalsOptions,
} from './totals';
export {
  type ComputedLine,
  type DraftLine,
  LINE_AMOUNT_TOLERANCE,
  type LineKind,
  MAX_LINES,
  validateLines,
} from './lines';
export {
  type DraftOptions,
  type InvoiceDraft,
  type InvoiceType,
  MAX_REPORTED_ERRORS,
  validateInvoiceDraft,
  type ValidatedInvoice,
} from './invoice-draft';
export {
  applyConfirmationEvent,
  CONFIRMATION_WINDOW_HOURS,
  type ConfirmationEvent,
  type ConfirmationForm,
  type ConfirmationStatus,
  type Party,
  raiseConfirmationForm,
  type RaiseConfirmationInput,
  type ReversalScope,
} from './red-letter/confirmation-form';
export {
  type BlueLine,
  planReversal,
  type PreviousReversal,
  type ReversalInput,
  type ReversalLine,
  type ReversalPlan,
  type ReversalRequest,
} from './red-letter/reversal';
export { CHINA_OFFSET_MS, chinaDayStart, DAY_MS, inChina } from './authority/china-time';
export {
  nextWindow,
  parseMaintenanceDays,
  windowAt,
  type TimeWindow,
} from './authority/maintenance-calendar';
