import { Injectable } from '@nestjs/common';
import type { AuthorityRedLetterForm } from '@fapiao/contracts';
import { Clock } from '../../domain/clock';
import { applyFormEvent, isRepeat, settleExpiry } from '../../domain/red-letter';
import { SimErrors } from '../../domain/sim.errors';
import { SimRepository } from '../../infrastructure/sim.repository';
import { toFormView } from '../../queries/views';

export type FormAction = 'confirm' | 'decline' | 'revoke';

@Injectable()
export class AnswerRedLetterFormHandler {
  constructor(
    private readonly repository: SimRepository,
    private readonly clock: Clock,
  ) {}

  /** Applies the action; repeating the action that produced the current state returns the form unchanged. */
  execute(id: string, action: FormAction, by: 'seller' | 'buyer'): Promise<AuthorityRedLetterForm> {
    return this.repository.transaction(async (tx) => {
      const now = this.clock.now();
      const stored = await tx.lockForm(id);
      if (!stored) throw SimErrors.formNotFound(id);
      const form = settleExpiry(stored, now);
      if (isRepeat(form, { type: action, by })) return toFormView(form);
      if (form.status === 'expired') throw SimErrors.formExpired(id, form.expiresAt);
      const next = applyFormEvent(form, { type: action, by }, now);
      await tx.saveForm(next);
      return toFormView(next);
    });
  }
}
