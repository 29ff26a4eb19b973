import type {
  AuthorityIssueRequest,
  AuthorityRaiseRedLetterFormRequest,
  AuthorityRedLetterForm,
  Envelope,
  PayloadOf,
  ReverseInvoice,
} from '@fapiao/contracts';
import { parseMaintenanceDays } from '@fapiao/invoice-domain';
import type { OutboxWriter } from '@fapiao/platform/messaging';
import {
  OutcomeUnknown,
  type FormOutcome,
  type IssueOutcome,
  type Issued,
} from '../../domain/authority-outcome';
import { Submission } from '../../domain/submission';
import type { TaxAuthorityAdapter } from '../../infrastructure/authority/tax-authority.adapter';
import { AuthorityPolicy, type ResolveAttempt } from '../authority-policy';
import { ReverseInvoiceOperation } from './reverse-invoice.operation';

const days = parseMaintenanceDays('25-27');
if (!days.ok) throw new Error(days.message);

const command = {
  invoiceId: '0196a000-0000-7000-8000-000000000001',
  reversalId: '0196a000-0000-7000-8000-000000000002',
  formSerial: 'RF1',
  redSerial: 'RI1',
  blueNumber: '26440000000000000001',
  reasonCode: '02',
  scope: 'full',
  invoiceType: 'normal',
  seller: { taxId: '91440300708461136T' },
  buyer: { name: 'Buyer' },
  blueLines: [
    {
      lineNo: 1,
      name: 'Service',
      taxCode: '3040201010000000000',
      quantity: '1',
      unitPrice: '1000.00',
      taxRate: '0.13',
      priceIncludesTax: false,
      net: '1000.00',
      tax: '130.00',
      gross: '1130.00',
    },
  ],
} satisfies PayloadOf<typeof ReverseInvoice>;

/**
 * A tiny authority: forms and invoices by serial, idempotent like the real one. `loseNext` processes the
 * next write and then drops its answer (the hardest fault).
 */
class FakeAuthority implements TaxAuthorityAdapter {
  readonly forms = new Map<string, AuthorityRedLetterForm>();
  readonly invoices = new Map<string, Issued>();
  readonly writes: string[] = [];
  formState: AuthorityRedLetterForm['state'] = 'confirmation-not-required';
  raiseAnswer: FormOutcome | null = null;
  loseNext = false;

  async raiseRedLetterForm(request: AuthorityRaiseRedLetterFormRequest): Promise<FormOutcome> {
    this.writes.push(`raise ${request.serial}`);
    if (this.raiseAnswer) return this.raiseAnswer;
    const form = this.forms.get(request.serial) ?? {
      id: `form-${this.forms.size + 1}`,
      serial: request.serial,
      blueNumber: request.blueNumber,
      sellerTaxId: command.seller.taxId,
      initiator: 'seller' as const,
      reasonCode: request.reasonCode,
      scope: 'full' as const,
      state: this.formState,
      lines: [{ lineNo: 1, amount: '-1000.00', tax: '-130.00', quantity: '-1' }],
      totals: { net: '-1000.00', tax: '-130.00', gross: '-1130.00' },
      raisedAt: '2026-11-21T00:00:00.000Z',
      expiresAt: this.formState === 'raised' ? '2026-11-24T00:00:00.000Z' : null,
      updatedAt: '2026-11-21T00:00:00.000Z',
      redInvoiceNumber: null,
    };
    this.forms.set(request.serial, form);
    return this.answer({ kind: 'form', form });
  }

  async findRedLetterForm(serial: string) {
    return this.forms.get(serial) ?? null;
  }

  // A red-letter invoice never goes in a batch upload.
  async issueBatch(): Promise<never> {
    throw new Error('not used by reversals');
  }

  async getRedLetterForm(id: string) {
    const form = [...this.forms.values()].find((each) => each.id === id);
    if (!form) throw new OutcomeUnknown('HTTP 404');
    return form;
  }

  async issue(request: AuthorityIssueRequest): Promise<IssueOutcome> {
    this.writes.push(
      `issue ${request.serial} ${request.kind} ${request.redLetterFormId} ${request.totals.gross}`,
    );
    const issued: Issued = this.invoices.get(request.serial) ?? {
      kind: 'issued',
      number: `2644000000000000000${this.invoices.size + 2}`,
      issuedAt: '2026-11-21T00:00:01.000Z',
      fileRef: 'file',
      totalGross: request.totals.gross,
      totals: request.totals,
    };
    this.invoices.set(request.serial, issued);
    return this.answer(issued);
  }

  async findBySerial(serial: string) {
    return this.invoices.get(serial) ?? null;
  }

  private answer<T>(value: T): T {
    if (!this.loseNext) return value;
    this.loseNext = false;
    throw new OutcomeUnknown('network: ECONNRESET');
  }
}

const leased = (payload: PayloadOf<typeof ReverseInvoice>, formId: string | null, sentBefore: boolean) =>
  Submission.restore({
    serial: payload.redSerial,
    operation: 'reverse',
    invoiceId: payload.invoiceId,
    tenantId: 't1',
    state: 'SENDING',
    command: payload,
    attempts: sentBefore ? 2 : 1,
    nextAttemptAt: new Date(),
    leaseUntil: new Date(Date.now() + 30_000),
    lastError: null,
    number: null,
    formId,
    outcome: null,
    causation: { id: 'e1', tenantId: 't1', payload } as Envelope,
    traceHeaders: {},
    createdAt: new Date(),
    updatedAt: new Date(),
  });

const setup = () => {
  const authority = new FakeAuthority();
  const policy = new AuthorityPolicy({
    timeoutMs: 500,
    concurrency: 2,
    retryBaseMs: 1,
    retryCapMs: 5,
    retryMaxAttempts: 0,
    circuit: { failureRatio: 0.9, sampleMs: 1_000, minimumRps: 1_000, halfOpenAfterMs: 100 },
    rateLimitPerSecond: 1_000,
    maintenance: { enabled: false, days: days.days },
  });
  const operation = new ReverseInvoiceOperation(policy, authority, {} as OutboxWriter, {
    formPoll: { minMs: 60_000, maxMs: 3_600_000 },
  });
  /** One forwarding step of the reversal, leased with what earlier attempts learnt. */
  const resolver = {
    resolve: (
      payload: PayloadOf<typeof ReverseInvoice>,
      knownFormId: string | null,
      sentBefore: boolean,
      attempt: ResolveAttempt,
    ) => operation.resolve(leased(payload, knownFormId, sentBefore), attempt),
  };
  const attempt = (): ResolveAttempt => ({ mayHaveReached: false });
  return { authority, resolver, attempt };
};

describe('ReverseInvoiceOperation.resolve', () => {
  it('raises the form and, when no confirmation is needed, issues the red-letter invoice against it', async () => {
    const { authority, resolver, attempt } = setup();
    const outcome = await resolver.resolve(command, null, false, attempt());
    expect(outcome).toMatchObject({
      kind: 'reversed',
      formId: 'form-1',
      red: { totals: { gross: '-1130.00' } },
    });
    expect(authority.writes).toEqual(['raise RF1', 'issue RI1 red form-1 -1130.00']);
  });

  it('reports a form awaiting the buyer, then issues once the buyer confirmed', async () => {
    const { authority, resolver, attempt } = setup();
    authority.formState = 'raised';
    expect(await resolver.resolve(command, null, false, attempt())).toEqual({
      kind: 'awaiting',
      formId: 'form-1',
      raisedAt: '2026-11-21T00:00:00.000Z',
      expiresAt: '2026-11-24T00:00:00.000Z',
    });
    expect(await resolver.resolve(command, 'form-1', true, attempt())).toMatchObject({ kind: 'awaiting' });
    authority.forms.set('RF1', {
      ...(authority.forms.get('RF1') as AuthorityRedLetterForm),
      state: 'confirmed',
    });
    expect(await resolver.resolve(command, 'form-1', true, attempt())).toMatchObject({ kind: 'reversed' });
    expect(authority.writes).toEqual(['raise RF1', 'issue RI1 red form-1 -1130.00']);
  });

  it('never raises or issues twice when answers are lost: it looks both up by serial first', async () => {
    const { authority, resolver, attempt } = setup();
    authority.loseNext = true;
    const lostForm = attempt();
    await expect(resolver.resolve(command, null, false, lostForm)).rejects.toBeInstanceOf(OutcomeUnknown);
    expect(lostForm.mayHaveReached).toBe(true);
    authority.formState = 'confirmed';
    // The form stays as the authority raised it (confirmation not required); the red answer is lost too.
    const next = attempt();
    authority.loseNext = false;
    const original = authority.issue.bind(authority);
    authority.issue = async (request) => {
      authority.loseNext = true;
      return original(request);
    };
    await expect(resolver.resolve(command, null, true, next)).rejects.toBeInstanceOf(OutcomeUnknown);
    authority.issue = original;
    expect(await resolver.resolve(command, null, true, attempt())).toMatchObject({
      kind: 'reversed',
      red: { number: '26440000000000000002' },
    });
    expect(authority.writes).toEqual(['raise RF1', 'issue RI1 red form-1 -1130.00']);
  });

  it.each([
    ['declined', 'REVERSAL.FORM_DECLINED'],
    ['expired', 'REVERSAL.FORM_EXPIRED'],
    ['revoked', 'REVERSAL.FORM_REVOKED'],
  ] as const)('ends in a refusal when the form was %s', async (state, code) => {
    const { authority, resolver, attempt } = setup();
    authority.formState = state;
    expect(await resolver.resolve(command, null, false, attempt())).toMatchObject({ kind: 'rejected', code });
    expect(authority.writes).toEqual(['raise RF1']);
  });

  it("passes the authority's refusal of the form on, without issuing", async () => {
    const { authority, resolver, attempt } = setup();
    authority.raiseAnswer = { kind: 'rejected', code: 'SIM.ALREADY_FULLY_REVERSED', message: 'done' };
    expect(await resolver.resolve(command, null, false, attempt())).toEqual(authority.raiseAnswer);
  });

  it('refuses a form that was used for a red-letter invoice that is not ours', async () => {
    const { authority, resolver, attempt } = setup();
    authority.formState = 'issued';
    expect(await resolver.resolve(command, null, false, attempt())).toMatchObject({
      kind: 'rejected',
      code: 'REVERSAL.FORM_USED_ELSEWHERE',
    });
  });
});
