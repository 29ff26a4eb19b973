import { Inject, Injectable } from '@nestjs/common';
import {
  InvoiceReversedByAuthority,
  RedLetterFormRaised,
  ReversalRefusedByAuthority,
  type AuthorityRedLetterForm,
  type Envelope,
} from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import type { ReversalOutcome } from '../../domain/authority-outcome';
import { FormRefusalCodes, formRequest, redInvoiceRequest } from '../../domain/red-letter-request';
import type { Submission } from '../../domain/submission';
import { nextFormCheckAt } from '../../domain/submission-state';
import { TaxAuthorityAdapter } from '../../infrastructure/authority/tax-authority.adapter';
import { TAX_BRIDGE_CONFIG, type TaxBridgeConfig } from '../../tax-bridge.config';
import { AuthorityPolicy, type AuthorityCall, type ResolveAttempt } from '../authority-policy';
import type { AuthorityOperation, OperationCommands } from './authority-operation';

type ReverseCommand = OperationCommands['reverse'];

const FINAL_REFUSALS: Partial<Record<AuthorityRedLetterForm['state'], string>> = {
  declined: FormRefusalCodes.declined,
  expired: FormRefusalCodes.expired,
  revoked: FormRefusalCodes.revoked,
};

/**
 * A red-letter reversal (ReverseInvoice), under the red-letter invoice's serial. One step, safe to repeat:
 * find or raise the confirmation form by its serial; while the buyer has not answered, report `awaiting`
 * (the forwarder checks again later); once the form is usable, find or issue the red-letter invoice by
 * its serial. Like issuance, a write that may have reached the authority is always looked up by serial
 * before it is sent again, and the serials never change.
 */
@Injectable()
export class ReverseInvoiceOperation implements AuthorityOperation<'reverse', ReversalOutcome> {
  readonly kind = 'reverse';

  constructor(
    private readonly policy: AuthorityPolicy,
    private readonly authority: TaxAuthorityAdapter,
    private readonly outbox: OutboxWriter,
    @Inject(TAX_BRIDGE_CONFIG) private readonly config: Pick<TaxBridgeConfig, 'formPoll'>,
  ) {}

  serialOf(command: ReverseCommand): string {
    return command.redSerial;
  }

  resolve(submission: Submission, attempt: ResolveAttempt): Promise<ReversalOutcome> {
    const command = submission.command as ReverseCommand;
    return this.policy.run(async (call) => {
      const form = await this.findOrRaiseForm(call, command, submission, attempt);
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

  /**
   * A form awaiting the buyer is looked at again later (nextFormCheckAt: sooner for a fresh form, at most
   * TAX_FORM_POLL_MAX_MS apart, and just after it expires); that it was raised is announced once, when its
   * id is first learnt.
   */
  settle(submission: Submission, outcome: ReversalOutcome): ReversalOutcome | null {
    switch (outcome.kind) {
      case 'awaiting': {
        const checkAt = nextFormCheckAt(
          new Date(),
          new Date(outcome.raisedAt),
          outcome.expiresAt === null ? null : new Date(outcome.expiresAt),
          this.config.formPoll,
        );
        return submission.awaitConfirmation(outcome.formId, checkAt) ? outcome : null;
      }
      case 'reversed':
        submission.issued(outcome.red.number, outcome, outcome.formId);
        return outcome;
      case 'rejected':
        submission.rejected(outcome);
        return outcome;
    }
  }

  async announce(submission: Submission, outcome: ReversalOutcome, causedBy: Envelope): Promise<void> {
    const base = { tenantId: submission.tenantId, key: submission.invoiceId, causedBy };
    const { invoiceId, serial } = submission;
    const { reversalId, formSerial } = submission.command as ReverseCommand;
    switch (outcome.kind) {
      case 'awaiting':
        await this.outbox.append(RedLetterFormRaised, {
          ...base,
          payload: {
            invoiceId,
            reversalId,
            formId: outcome.formId,
            formSerial,
            expiresAt: outcome.expiresAt,
          },
        });
        return;
      case 'reversed': {
        const { number, issuedAt, fileRef, totals } = outcome.red;
        await this.outbox.append(InvoiceReversedByAuthority, {
          ...base,
          payload: {
            invoiceId,
            reversalId,
            formId: outcome.formId,
            redSerial: serial,
            number,
            issuedAt,
            fileRef,
            totals,
          },
        });
        return;
      }
      case 'rejected':
        await this.outbox.append(ReversalRefusedByAuthority, {
          ...base,
          payload: { invoiceId, reversalId, code: outcome.code, message: outcome.message },
        });
        return;
      default:
        throw new Error(`a reversal has no ${(outcome as { kind: string }).kind} outcome`);
    }
  }

  private async findOrRaiseForm(
    call: AuthorityCall,
    command: ReverseCommand,
    submission: Submission,
    attempt: ResolveAttempt,
  ) {
    const knownFormId = submission.formId;
    if (knownFormId) {
      return {
        kind: 'form' as const,
        form: await call((signal) => this.authority.getRedLetterForm(knownFormId, signal)),
      };
    }
    if (submission.sentBefore || attempt.mayHaveReached) {
      const found = await call((signal) => this.authority.findRedLetterForm(command.formSerial, signal));
      if (found) return { kind: 'form' as const, form: found };
    }
    return this.policy.send(call, attempt, (signal) =>
      this.authority.raiseRedLetterForm(formRequest(command), signal),
    );
  }
}
