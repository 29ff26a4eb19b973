import {
  applyConfirmationEvent,
  type ConfirmationEvent,
  type ConfirmationForm,
  raiseConfirmationForm,
  type RaiseConfirmationInput,
} from './confirmation-form';

const t0 = new Date('2025-03-01T08:00:00.000Z');
const hours = (n: number): Date => new Date(t0.getTime() + n * 3_600_000);
const input: RaiseConfirmationInput = {
  blueInvoiceNumber: '25442000000012345678',
  initiator: 'seller',
  scope: 'partial',
  buyerConfirmedUseOrBooked: true,
};

function raise(overrides: Partial<RaiseConfirmationInput> = {}): ConfirmationForm {
  const result = raiseConfirmationForm({ ...input, ...overrides }, t0);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

function apply(form: ConfirmationForm, event: ConfirmationEvent, at: Date): ConfirmationForm {
  const result = applyConfirmationEvent(form, event, at);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

const codeOf = (form: ConfirmationForm, event: ConfirmationEvent, at: Date) => {
  const result = applyConfirmationEvent(form, event, at);
  return result.ok ? 'ok' : result.error.code;
};

describe('red-letter confirmation form', () => {
  it('is raised awaiting the other party for 72 hours', () => {
    expect(raise()).toEqual({
      blueInvoiceNumber: '25442000000012345678',
      initiator: 'seller',
      scope: 'partial',
      status: 'raised',
      raisedAt: '2025-03-01T08:00:00.000Z',
      expiresAt: '2025-03-04T08:00:00.000Z',
      updatedAt: '2025-03-01T08:00:00.000Z',
    });
  });

  it('needs no confirmation when the seller reverses in full an invoice the buyer has neither confirmed nor booked', () => {
    expect(raise({ scope: 'full', buyerConfirmedUseOrBooked: false })).toMatchObject({
      status: 'confirmation-not-required',
    });
    expect(raise({ scope: 'full', buyerConfirmedUseOrBooked: true }).status).toBe('raised');
    expect(raise({ scope: 'partial', buyerConfirmedUseOrBooked: false }).status).toBe('raised');
    expect(raise({ initiator: 'buyer', scope: 'full', buyerConfirmedUseOrBooked: false }).status).toBe(
      'raised',
    );
  });

  it('is confirmed or declined by the other party only, within the window', () => {
    const form = raise();
    expect(apply(form, { type: 'confirm', by: 'buyer' }, hours(71.9))).toMatchObject({
      status: 'confirmed',
      updatedAt: hours(71.9).toISOString(),
    });
    expect(apply(form, { type: 'decline', by: 'buyer' }, hours(1))).toMatchObject({ status: 'declined' });
    expect(codeOf(form, { type: 'confirm', by: 'seller' }, hours(1))).toBe('RED_LETTER.NOT_COUNTERPARTY');
    expect(codeOf(form, { type: 'confirm', by: 'buyer' }, hours(72))).toBe('RED_LETTER.EXPIRED');
    expect(codeOf(form, { type: 'decline', by: 'buyer' }, hours(100))).toBe('RED_LETTER.EXPIRED');
  });

  it('voids itself 72 hours after it was raised, as of the deadline', () => {
    const form = raise();
    expect(codeOf(form, { type: 'expire' }, hours(71.99))).toBe('RED_LETTER.NOT_EXPIRED');
    expect(apply(form, { type: 'expire' }, hours(80))).toMatchObject({
      status: 'expired',
      updatedAt: '2025-03-04T08:00:00.000Z',
    });
  });

  it('is revoked by its initiator only, until the red-letter invoice is issued', () => {
    const form = raise();
    expect(apply(form, { type: 'revoke', by: 'seller' }, hours(2))).toMatchObject({ status: 'revoked' });
    expect(codeOf(form, { type: 'revoke', by: 'buyer' }, hours(2))).toBe('RED_LETTER.NOT_INITIATOR');
    expect(codeOf(form, { type: 'revoke', by: 'seller' }, hours(72))).toBe('RED_LETTER.EXPIRED');
    const confirmed = apply(form, { type: 'confirm', by: 'buyer' }, hours(3));
    expect(apply(confirmed, { type: 'revoke', by: 'seller' }, hours(200))).toMatchObject({
      status: 'revoked',
    });
    const issued = apply(confirmed, { type: 'issue', redInvoiceNumber: '25442000000087654321' }, hours(4));
    expect(issued).toMatchObject({ status: 'issued', redInvoiceNumber: '25442000000087654321' });
    expect(codeOf(issued, { type: 'revoke', by: 'seller' }, hours(5))).toBe('RED_LETTER.INVALID_TRANSITION');
  });

  it('lets a red-letter invoice be issued only against a confirmed form or one that needs no confirmation', () => {
    const direct = raise({ scope: 'full', buyerConfirmedUseOrBooked: false });
    expect(apply(direct, { type: 'issue', redInvoiceNumber: '25442000000087654321' }, hours(1)).status).toBe(
      'issued',
    );
    expect(codeOf(raise(), { type: 'issue', redInvoiceNumber: '25442000000087654321' }, hours(1))).toBe(
      'RED_LETTER.INVALID_TRANSITION',
    );
    expect(codeOf(direct, { type: 'issue', redInvoiceNumber: '123' }, hours(1))).toBe(
      'INVOICE_NUMBER.LENGTH',
    );
  });

  it('keeps final states final', () => {
    const form = raise();
    const finals = [
      apply(form, { type: 'decline', by: 'buyer' }, hours(1)),
      apply(form, { type: 'expire' }, hours(72)),
      apply(form, { type: 'revoke', by: 'seller' }, hours(1)),
    ];
    const events: ConfirmationEvent[] = [
      { type: 'confirm', by: 'buyer' },
      { type: 'decline', by: 'buyer' },
      { type: 'revoke', by: 'seller' },
      { type: 'expire' },
      { type: 'issue', redInvoiceNumber: '25442000000087654321' },
    ];
    for (const final of finals) {
      for (const event of events)
        expect(codeOf(final, event, hours(100))).toBe('RED_LETTER.INVALID_TRANSITION');
    }
  });

  it('keeps properties it does not own, such as an id', () => {
    const stored = { ...raise(), id: 'form-1' };
    const result = applyConfirmationEvent(stored, { type: 'confirm', by: 'buyer' }, hours(1));
    expect(result).toMatchObject({ ok: true, value: { id: 'form-1', status: 'confirmed' } });
  });

  it('refuses bad input with stable codes', () => {
    expect(raiseConfirmationForm({ ...input, blueInvoiceNumber: '1' }, t0)).toMatchObject({
      ok: false,
      error: { code: 'INVOICE_NUMBER.LENGTH', field: 'blueInvoiceNumber' },
    });
    expect(raiseConfirmationForm({ ...input, initiator: 'tax office' as never }, t0)).toMatchObject({
      ok: false,
      error: { code: 'INPUT.TYPE', field: 'initiator' },
    });
    expect(
      raiseConfirmationForm({ ...input, buyerConfirmedUseOrBooked: undefined as never }, t0),
    ).toMatchObject({ ok: false, error: { code: 'INPUT.TYPE' } });
    expect(raiseConfirmationForm(input, new Date('nonsense'))).toMatchObject({
      ok: false,
      error: { code: 'RED_LETTER.INVALID_TIME' },
    });
    expect(raiseConfirmationForm(null as never, t0)).toMatchObject({
      ok: false,
      error: { code: 'INPUT.TYPE' },
    });
    const form = raise();
    expect(codeOf(form, { type: 'confirm', by: 'buyer' }, hours(-1))).toBe('RED_LETTER.INVALID_TIME');
    expect(codeOf(form, { type: 'confirm', by: 'buyer' }, '2025-03-02' as never)).toBe(
      'RED_LETTER.INVALID_TIME',
    );
    expect(codeOf(form, { type: 'approve' } as never, hours(1))).toBe('INPUT.TYPE');
    expect(codeOf(form, null as never, hours(1))).toBe('INPUT.TYPE');
    expect(codeOf(form, { type: 'confirm', by: 'bank' } as never, hours(1))).toBe('INPUT.TYPE');
    expect(codeOf({ ...form, status: 'lost' } as never, { type: 'expire' }, hours(1))).toBe('INPUT.TYPE');
    expect(codeOf({ ...form, raisedAt: 'yesterday' }, { type: 'expire' }, hours(1))).toBe('INPUT.TYPE');
    expect(codeOf(undefined as never, { type: 'expire' }, hours(1))).toBe('INPUT.TYPE');
  });
});
