import { AuthorityErrorCodes as Codes, DomainError, type AuthorityLine } from '@fapiao/contracts';
import {
  applyConfirmationEvent,
  planReversal,
  type ConfirmationEvent,
  type ConfirmationForm,
  type PreviousReversal,
  type ReversalPlan,
  type ReversalRequest,
} from '@fapiao/invoice-domain';
import { SimErrors } from './sim.errors';

/** Forms that still block another form for the same blue invoice. */
export const OPEN_STATES: readonly ConfirmationForm['status'][] = [
  'raised',
  'confirmed',
  'confirmation-not-required',
];

/** States a red-letter invoice may be issued against. */
export const USABLE_STATES: readonly ConfirmationForm['status'][] = [
  'confirmed',
  'confirmation-not-required',
];

/** Reason 01 (开票有误, issued in error) is corrected by reversing the whole invoice. */
export const FULL_ONLY_REASONS = ['01'];

const EVENT_ERRORS: Record<string, (message: string) => DomainError> = {
  'RED_LETTER.INVALID_TRANSITION': (message) =>
    new DomainError('conflict', Codes.redLetterInvalidTransition, message, 'state'),
  'RED_LETTER.EXPIRED': (message) => new DomainError('conflict', Codes.redLetterExpired, message, 'state'),
  'RED_LETTER.NOT_COUNTERPARTY': (message) => SimErrors.reject(Codes.redLetterNotCounterparty, message, 'by'),
  'RED_LETTER.NOT_INITIATOR': (message) => SimErrors.reject(Codes.redLetterNotInitiator, message, 'by'),
};

/** The form after `event`, or the authority's refusal. */
export function applyFormEvent<F extends ConfirmationForm>(form: F, event: ConfirmationEvent, now: Date): F {
  const result = applyConfirmationEvent(form, event, now);
  if (result.ok) return result.value;
  const toError = EVENT_ERRORS[result.error.code];
  if (!toError)
    throw new Error(
      `red-letter form ${form.blueInvoiceNumber}: ${result.error.code} ${result.error.message}`,
    );
  throw toError(result.error.message);
}

/** Lazily voids a raised form whose 72 hours have run out; any other form comes back unchanged. */
export function settleExpiry<F extends ConfirmationForm>(form: F, now: Date): F {
  if (form.status !== 'raised' || !form.expiresAt || now.getTime() < Date.parse(form.expiresAt)) return form;
  return applyFormEvent(form, { type: 'expire' }, now);
}

/** Repeating the event that put the form in its state is answered with the form, not an error. */
export function isRepeat(
  form: ConfirmationForm,
  event: { type: 'confirm' | 'decline' | 'revoke'; by: string },
): boolean {
  const reached = { confirm: 'confirmed', decline: 'declined', revoke: 'revoked' }[event.type];
  const actor = event.type === 'revoke' ? form.initiator : form.initiator === 'seller' ? 'buyer' : 'seller';
  return form.status === reached && event.by === actor;
}

const REVERSAL_CODES: Record<string, string> = {
  'REVERSAL.ALREADY_FULLY_REVERSED': Codes.alreadyFullyReversed,
  'REVERSAL.ALREADY_PARTIALLY_REVERSED': Codes.alreadyPartiallyReversed,
  'REVERSAL.EXCEEDS_REMAINING': Codes.reversalExceedsRemaining,
};

/**
 * What a red-letter invoice against `blue` would carry, given the reversals already issued; refusals
 * carry stable codes (second full reversal, over-reversal) with the library's reasons in `errors`.
 */
export function planRedLetter(
  blue: { number: string; lines: readonly AuthorityLine[] },
  previousReversals: readonly PreviousReversal[],
  request: ReversalRequest,
): ReversalPlan {
  const plan = planReversal({
    blue: {
      number: blue.number,
      lines: blue.lines.map((line) => ({
        lineNo: line.lineNo,
        amount: line.net,
        tax: line.tax,
        quantity: line.quantity,
      })),
    },
    previousReversals,
    request,
  });
  if (plan.ok) return plan.value;
  const errors = plan.error.errors.map((error) => ({
    code: error.code,
    message: error.message,
    field: error.field?.replace(/^request\.kind$/, 'lines').replace(/^request\./, ''),
  }));
  const [first] = errors;
  throw SimErrors.reject(
    REVERSAL_CODES[first.code] ?? Codes.reversalInvalid,
    first.message,
    first.field,
    errors,
  );
}

/** A stored form: the library's form plus what the authority keeps with it. */
export interface RedLetterForm extends ConfirmationForm {
  readonly id: string;
  readonly serial: string;
  readonly sellerTaxId: string;
  readonly reasonCode: string;
  /** The red-letter invoice's figures per blue line (negative). */
  readonly lines: ReversalPlan['lines'];
  readonly totals: { readonly net: string; readonly tax: string; readonly gross: string };
}
