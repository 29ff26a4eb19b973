import Decimal from 'decimal.js';
import type {
  AuthorityIssueRequest,
  AuthorityRaiseRedLetterFormRequest,
  AuthorityRedLetterForm,
  PayloadOf,
  ReverseInvoice,
} from '@fapiao/contracts';
import { LINE_AMOUNT_TOLERANCE } from '@fapiao/invoice-domain';

type ReverseCommand = PayloadOf<typeof ReverseInvoice>;

/** Private precision: a Decimal.set() elsewhere cannot change results. */
const Dec = Decimal.clone({ precision: 40 });
/** The places a quantity or unit price may carry (the authority's decimal format). */
const PLACES = 15;

/** Codes of refusals that come from the form's fate rather than from an HTTP answer. */
export const FormRefusalCodes = {
  declined: 'REVERSAL.FORM_DECLINED',
  expired: 'REVERSAL.FORM_EXPIRED',
  revoked: 'REVERSAL.FORM_REVOKED',
  /** The form was used for a red-letter invoice that is not ours (issued outside fapiao). */
  usedElsewhere: 'REVERSAL.FORM_USED_ELSEWHERE',
} as const;

/** The confirmation form the seller raises for a ReverseInvoice command. */
export function formRequest(command: ReverseCommand): AuthorityRaiseRedLetterFormRequest {
  return {
    serial: command.formSerial,
    blueNumber: command.blueNumber,
    initiator: 'seller',
    reasonCode: command.reasonCode,
    lines: command.scope,
  };
}

/**
 * The red-letter invoice against a usable form: per form line, the blue line's description with the
 * form's (negative) figures. The quantity is the form's, the blue line's when the line is reversed whole,
 * or the amount's worth at the blue unit price; the unit price stays the blue one unless the quantity the
 * form names does not fit it, so quantity × unit price always gives the amount.
 */
export function redInvoiceRequest(
  command: ReverseCommand,
  form: AuthorityRedLetterForm,
): AuthorityIssueRequest {
  const lines = form.lines.map((figures) => {
    const blue = command.blueLines.find((line) => line.lineNo === figures.lineNo);
    if (!blue) throw new Error(`form ${form.id} names line ${figures.lineNo}, which the blue invoice lacks`);
    const net = new Dec(figures.amount);
    const tax = new Dec(figures.tax);
    const gross = net.plus(tax);
    const basis = (blue.priceIncludesTax ? gross : net).abs();
    const wholeLine = net.neg().eq(blue.net);
    const unitPrice = new Dec(blue.unitPrice);
    const quantity = figures.quantity
      ? new Dec(figures.quantity).abs()
      : wholeLine
        ? new Dec(blue.quantity)
        : basis.div(unitPrice).toDecimalPlaces(PLACES);
    const fits = quantity.times(unitPrice).minus(basis).abs().lte(LINE_AMOUNT_TOLERANCE);
    return {
      lineNo: blue.lineNo,
      name: blue.name,
      taxCode: blue.taxCode,
      quantity: quantity.neg().toFixed(),
      unitPrice: fits ? blue.unitPrice : basis.div(quantity).toDecimalPlaces(PLACES).toFixed(),
      taxRate: blue.taxRate,
      priceIncludesTax: blue.priceIncludesTax,
      ...(blue.unit ? { unit: blue.unit } : {}),
      ...(blue.specification ? { specification: blue.specification } : {}),
      net: net.toFixed(2),
      tax: tax.toFixed(2),
      gross: gross.toFixed(2),
    };
  });
  return {
    serial: command.redSerial,
    kind: 'red',
    invoiceType: command.invoiceType,
    seller: command.seller,
    buyer: command.buyer,
    lines,
    totals: form.totals,
    originalNumber: command.blueNumber,
    redLetterFormId: form.id,
  };
}
