import Decimal from 'decimal.js';
import { AuthorityErrorCodes as Codes, type AuthorityIssueRequest, type FieldError } from '@fapiao/contracts';
import {
  compareMoney,
  computeInvoiceTotals,
  EXEMPT,
  LINE_AMOUNT_TOLERANCE,
  validateTaxCode,
  validateUscc,
} from '@fapiao/invoice-domain';

/** Private precision, like the domain library's: a Decimal.set() elsewhere cannot change results. */
const Dec = Decimal.clone({ precision: 40 });

const TOTAL_FIELDS = ['net', 'tax', 'gross'] as const;

/**
 * The authority's own checks of a submission, everything it can judge without its records: taxpayer
 * ids, tax codes and rates, each line's arithmetic, tax within the tolerances, totals that add up, and
 * the signs of a blue (positive) or red (negative) invoice. Every problem is reported; none means [].
 */
export function checkSubmission(request: AuthorityIssueRequest): FieldError[] {
  const errors: FieldError[] = [];
  const add = (code: string, message: string, field: string) => errors.push({ code, message, field });

  const seller = validateUscc(request.seller.taxId);
  if (!seller.ok)
    add(Codes.sellerTaxIdInvalid, `${seller.error.message} (${seller.error.code})`, 'seller.taxId');
  if (request.buyer.taxId !== undefined) {
    const buyer = validateUscc(request.buyer.taxId);
    if (!buyer.ok)
      add(Codes.buyerTaxIdInvalid, `${buyer.error.message} (${buyer.error.code})`, 'buyer.taxId');
  } else if (request.invoiceType === 'special') {
    add(Codes.buyerTaxIdRequired, "a special VAT invoice names the buyer's tax id", 'buyer.taxId');
  }

  if (request.kind === 'blue') {
    for (const field of ['originalNumber', 'redLetterFormId'] as const) {
      if (request[field] !== undefined)
        add(Codes.originalNotAllowed, `a blue invoice has no ${field}`, field);
    }
  } else {
    if (request.originalNumber === undefined) {
      add(
        Codes.originalNumberRequired,
        'a red-letter invoice names the blue invoice it reverses',
        'originalNumber',
      );
    }
    if (request.redLetterFormId === undefined) {
      add(
        Codes.redLetterFormRequired,
        'a red-letter invoice is issued against a confirmation form',
        'redLetterFormId',
      );
    }
  }

  const sign = request.kind === 'blue' ? 1 : -1;
  const seen = new Set<number>();
  for (const [index, line] of request.lines.entries()) {
    const path = `lines[${index}]`;
    if (seen.has(line.lineNo))
      add(Codes.lineNumbersInvalid, `line number ${line.lineNo} is used twice`, `${path}.lineNo`);
    seen.add(line.lineNo);
    const taxCode = validateTaxCode(line.taxCode);
    if (!taxCode.ok)
      add(Codes.taxCodeInvalid, `${taxCode.error.message} (${taxCode.error.code})`, `${path}.taxCode`);
    if (request.invoiceType === 'special' && line.taxRate === EXEMPT) {
      add(Codes.specialExempt, 'exempt sales cannot be invoiced on a special VAT invoice', `${path}.taxRate`);
    }
    const [net, tax, gross, quantity] = [line.net, line.tax, line.gross, line.quantity].map(
      (value) => new Dec(value),
    );
    if (Dec.sign(net) !== sign || Dec.sign(quantity) !== sign) {
      const expected = sign > 0 ? 'positive' : 'negative';
      add(
        Codes.amountSign,
        `a ${request.kind} invoice's quantities and amounts are ${expected}`,
        `${path}.net`,
      );
    }
    if (!net.plus(tax).eq(gross))
      add(Codes.lineAmountsInvalid, 'net + tax must equal gross', `${path}.gross`);
    const amount = line.priceIncludesTax ? gross : net;
    if (quantity.times(line.unitPrice).minus(amount).abs().gt(LINE_AMOUNT_TOLERANCE)) {
      const basis = line.priceIncludesTax ? 'gross' : 'net';
      add(
        Codes.lineAmountsInvalid,
        `quantity × unit price must equal the ${basis} amount within ${LINE_AMOUNT_TOLERANCE}`,
        `${path}.unitPrice`,
      );
    }
  }

  const computed = computeInvoiceTotals(request.lines);
  if (!computed.ok) {
    for (const error of computed.error.errors) {
      const code = error.code.startsWith('TAX_RATE.')
        ? Codes.taxRateInvalid
        : error.code.startsWith('TOTALS.')
          ? Codes.taxToleranceExceeded
          : Codes.lineAmountsInvalid;
      add(code, `${error.message} (${error.code})`, error.field ?? 'lines');
    }
  } else {
    for (const field of TOTAL_FIELDS) {
      const comparison = compareMoney(request.totals[field], computed.value[field]);
      if (!comparison.ok || comparison.value !== 0) {
        add(
          Codes.totalsMismatch,
          `totals.${field} must be the lines' sum, ${computed.value[field]}`,
          `totals.${field}`,
        );
      }
    }
  }
  return errors;
}
