import { describeType, isRecord } from '../input';
import { parseInvoiceNumber } from '../invoice-number';
import { atField, fail, ok, type Result } from '../result';

export type Party = 'seller' | 'buyer';
export type ReversalScope = 'full' | 'partial';

/**
 * raised → confirmed | declined | expired | revoked; confirmed → issued | revoked;
 * confirmation-not-required → issued | revoked. declined, expired, revoked and issued are final.
 */
export type ConfirmationStatus =
  'raised' | 'confirmation-not-required' | 'confirmed' | 'declined' | 'expired' | 'revoked' | 'issued';

/** 红字发票信息确认单: the agreement a red-letter (negative) invoice is issued against. JSON-safe. */
export interface ConfirmationForm {
  readonly blueInvoiceNumber: string;
  readonly initiator: Party;
  readonly scope: ReversalScope;
  readonly status: ConfirmationStatus;
  /** ISO 8601 instants. */
  readonly raisedAt: string;
  /** When an unanswered form voids itself; absent when no confirmation is needed. */
  readonly expiresAt?: string;
  /** When the form reached its current status. */
  readonly updatedAt: string;
  /** The red-letter invoice issued against the form. */
  readonly redInvoiceNumber?: string;
}

export interface RaiseConfirmationInput {
  readonly blueInvoiceNumber: string;
  readonly initiator: Party;
  readonly scope: ReversalScope;
  /** Whether the buyer has confirmed the blue invoice's use (用途确认) or booked it (入账确认). */
  readonly buyerConfirmedUseOrBooked: boolean;
}

export type ConfirmationEvent =
  | { readonly type: 'confirm'; readonly by: Party }
  | { readonly type: 'decline'; readonly by: Party }
  | { readonly type: 'revoke'; readonly by: Party }
  | { readonly type: 'expire' }
  | { readonly type: 'issue'; readonly redInvoiceNumber: string };

/** A raised form that the other party has not answered within this window voids itself. */
export const CONFIRMATION_WINDOW_HOURS = 72;

const HOUR_MS = 3_600_000;
const PARTIES: readonly unknown[] = ['seller', 'buyer'];
const STATUSES: readonly unknown[] = [
  'raised',
  'confirmation-not-required',
  'confirmed',
  'declined',
  'expired',
  'revoked',
  'issued',
];

/**
 * Raises a form. When the buyer has neither confirmed the blue invoice's use nor booked it, the seller
 * reverses it in full without the buyer's confirmation; every other form awaits the other party.
 */
export function raiseConfirmationForm(input: RaiseConfirmationInput, now: Date): Result<ConfirmationForm> {
  if (!isRecord(input)) {
    return fail('INPUT.TYPE', `the form input must be an object, got ${describeType(input)}`);
  }
  const time = readNow(now);
  if (!time.ok) return time;
  const number = atField(parseInvoiceNumber(input.blueInvoiceNumber), 'blueInvoiceNumber');
  if (!number.ok) return number;
  if (!PARTIES.includes(input.initiator)) {
    return fail('INPUT.TYPE', 'initiator must be "seller" or "buyer"', 'initiator');
  }
  if (input.scope !== 'full' && input.scope !== 'partial') {
    return fail('INPUT.TYPE', 'scope must be "full" or "partial"', 'scope');
  }
  if (typeof input.buyerConfirmedUseOrBooked !== 'boolean') {
    return fail('INPUT.TYPE', 'buyerConfirmedUseOrBooked must be a boolean', 'buyerConfirmedUseOrBooked');
  }
  const raisedAt = time.value.toISOString();
  const base = {
    blueInvoiceNumber: input.blueInvoiceNumber.trim(),
    initiator: input.initiator,
    scope: input.scope,
    raisedAt,
    updatedAt: raisedAt,
  };
  if (input.initiator === 'seller' && input.scope === 'full' && !input.buyerConfirmedUseOrBooked) {
    return ok({ ...base, status: 'confirmation-not-required' });
  }
  const expiresAt = new Date(time.value.getTime() + CONFIRMATION_WINDOW_HOURS * HOUR_MS).toISOString();
  return ok({ ...base, status: 'raised', expiresAt });
}

/**
 * The form after `event` at `now`, or why the event is not allowed. A raised form is void from `expiresAt`
 * on: answering it then fails with RED_LETTER.EXPIRED, and an `expire` event records the voiding. Extra
 * properties of `form` (an id, say) are kept.
 */
export function applyConfirmationEvent<F extends ConfirmationForm>(
  form: F,
  event: ConfirmationEvent,
  now: Date,
): Result<F> {
  const checked = checkForm(form, now);
  if (!checked.ok) return checked;
  const at = checked.value;
  if (!isRecord(event)) {
    return fail('INPUT.TYPE', `an event must be an object, got ${describeType(event)}`, 'event');
  }
  const expired = typeof form.expiresAt === 'string' && at.getTime() >= Date.parse(form.expiresAt);
  const moveTo = (status: ConfirmationStatus, updatedAt = at.toISOString()): Result<F> =>
    ok({ ...form, status, updatedAt });
  const invalid = () =>
    fail(
      'RED_LETTER.INVALID_TRANSITION',
      `a ${form.status} form cannot take a ${event.type} event`,
      'event.type',
    );

  switch (event.type) {
    case 'confirm':
    case 'decline': {
      if (form.status !== 'raised') return invalid();
      if (!PARTIES.includes(event.by)) {
        return fail('INPUT.TYPE', 'by must be "seller" or "buyer"', 'event.by');
      }
      if (event.by === form.initiator) {
        return fail(
          'RED_LETTER.NOT_COUNTERPARTY',
          `only the party that did not raise the form may ${event.type} it`,
          'event.by',
        );
      }
      if (expired) return expiredError(form);
      return moveTo(event.type === 'confirm' ? 'confirmed' : 'declined');
    }
    case 'revoke': {
      if (
        form.status !== 'raised' &&
        form.status !== 'confirmed' &&
        form.status !== 'confirmation-not-required'
      ) {
        return invalid();
      }
      if (event.by !== form.initiator) {
        return fail(
          'RED_LETTER.NOT_INITIATOR',
          'only the party that raised the form may revoke it',
          'event.by',
        );
      }
      if (form.status === 'raised' && expired) return expiredError(form);
      return moveTo('revoked');
    }
    case 'expire': {
      if (form.status !== 'raised') return invalid();
      if (!expired) {
        return fail('RED_LETTER.NOT_EXPIRED', `the form stays open until ${form.expiresAt}`, 'now');
      }
      // Void from the deadline, not from whenever the sweep ran.
      return moveTo('expired', form.expiresAt);
    }
    case 'issue': {
      if (form.status !== 'confirmed' && form.status !== 'confirmation-not-required') return invalid();
      const number = atField(parseInvoiceNumber(event.redInvoiceNumber), 'event.redInvoiceNumber');
      if (!number.ok) return number;
      return ok({
        ...form,
        status: 'issued',
        updatedAt: at.toISOString(),
        redInvoiceNumber: event.redInvoiceNumber.trim(),
      });
    }
    default:
      return fail('INPUT.TYPE', 'event.type must be confirm, decline, revoke, expire or issue', 'event.type');
  }
}

function expiredError(form: ConfirmationForm): Result<never> {
  return fail(
    'RED_LETTER.EXPIRED',
    `the form voided itself at ${form.expiresAt}, ${CONFIRMATION_WINDOW_HOURS} hours after it was raised`,
  );
}

function readNow(now: unknown): Result<Date> {
  return now instanceof Date && !Number.isNaN(now.getTime())
    ? ok(now)
    : fail('RED_LETTER.INVALID_TIME', 'now must be a valid Date', 'now');
}

/** A stored form read back from JSON, and a clock that has not gone back before the form was raised. */
function checkForm(form: ConfirmationForm, now: Date): Result<Date> {
  if (!isRecord(form)) {
    return fail('INPUT.TYPE', `a form must be an object, got ${describeType(form)}`, 'form');
  }
  if (!STATUSES.includes(form.status)) {
    return fail('INPUT.TYPE', 'form.status is not a known status', 'form.status');
  }
  if (!PARTIES.includes(form.initiator)) {
    return fail('INPUT.TYPE', 'form.initiator must be "seller" or "buyer"', 'form.initiator');
  }
  const raisedAt = typeof form.raisedAt === 'string' ? Date.parse(form.raisedAt) : Number.NaN;
  if (Number.isNaN(raisedAt)) {
    return fail('INPUT.TYPE', 'form.raisedAt must be an ISO 8601 instant', 'form.raisedAt');
  }
  if (
    form.status === 'raised' &&
    (typeof form.expiresAt !== 'string' || Number.isNaN(Date.parse(form.expiresAt)))
  ) {
    return fail('INPUT.TYPE', 'a raised form has an ISO 8601 expiresAt', 'form.expiresAt');
  }
  const time = readNow(now);
  if (!time.ok) return time;
  return time.value.getTime() < raisedAt
    ? fail('RED_LETTER.INVALID_TIME', 'now is before the form was raised', 'now')
    : time;
}
