import { Injectable } from '@nestjs/common';
import type { AuthorityRedLetterForm, PayloadOf, ReverseInvoice } from '@fapiao/contracts';
import type { ReversalOutcome } from '../domain/authority-outcome';
import { FormRefusalCodes, formRequest, redInvoiceRequest } from '../domain/red-letter-request';
import { TaxAuthorityAdapter } from '../infrastructure/authority/tax-authority.adapter';
import { AuthorityPolicy, type AuthorityCall, type ResolveAttempt } from './authority-policy';

const FINAL_REFUSALS: Partial<Record<AuthorityRedLetterForm['state'], string>> = {
  declined: FormRefusalCodes.declined,
  expired: FormRefusalCodes.expired,
  revoked: FormRefusalCodes.revoked,
};

/**
 * One step of a red-letter reversal, safe to repeat: find or raise the confirmation form by its serial;
 * while the buyer has not answered, report `awaiting` (the forwarder checks again later); once the form is
 * usable, find or issue the red-letter invoice by its serial. Like issuance, a write that may have reached
 * the authority is always looked up by serial before it is sent again, and the serials never change.
 */
@Injectable()
export class ReversalResolver {
  constructor(
    private readonly policy: AuthorityPolicy,
    private readonly authority: TaxAuthorityAdapter,
  ) {}

  resolve(
    command: PayloadOf<typeof ReverseInvoice>,
    knownFormId: string | null,
    sentBefore: boolean,
    attempt: ResolveAttempt,
  ): Promise<ReversalOutcome> {
    return this.policy.run(async (call) => {
      const form = await this.findOrRaiseForm(call, command, knownFormId, sentBefore, attempt);
      if (form.kind === 'rejected') return form;
      const { id, state, raisedAt, expiresAt } = form.form;
      const refusal = FINAL_REFUSALS[state];
      if (refusal)
        return { kind: 'rejected', code: refusal, message: `confirmation form ${id} was ${state}` };
      if (state === 'raised') return { kind: 'awaiting', formId: id, raisedAt, expiresAt };
      // Usable, or already used: a red-letter invoice under our serial settles it either way.
      const found = await call((signal) => this.authority.findBySerial(command.redSerial, signal));
      if (found) return { kind: 'reversed', formId: id, red: found };
      if (state === 'issued') {
        const message = `confirmation form ${id} was used for ${form.form.redInvoiceNumber ?? 'another invoice'}`;
        return { kind: 'rejected', code: FormRefusalCodes.usedElsewhere, message };
      }
      const red = await this.policy.send(call, attempt, (signal) =>
        this.authority.issue(redInvoiceRequest(command, form.form), signal),
      );
      return red.kind === 'issued' ? { kind: 'reversed', formId: id, red } : red;
    });
  }

  private async findOrRaiseForm(
    call: AuthorityCall,
    command: PayloadOf<typeof ReverseInvoice>,
    knownFormId: string | null,
    sentBefore: boolean,
    attempt: ResolveAttempt,
  ) {
    if (knownFormId) {
      return {
        kind: 'form' as const,
        form: await call((signal) => this.authority.getRedLetterForm(knownFormId, signal)),
      };
    }
    if (sentBefore || attempt.mayHaveReached) {
      const found = await call((signal) => this.authority.findRedLetterForm(command.formSerial, signal));
      if (found) return { kind: 'form' as const, form: found };
    }
    return this.policy.send(call, attempt, (signal) =>
      this.authority.raiseRedLetterForm(formRequest(command), signal),
    );
  }
}
