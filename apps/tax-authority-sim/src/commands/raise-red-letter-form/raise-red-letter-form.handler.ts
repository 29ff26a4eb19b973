import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  AuthorityErrorCodes as Codes,
  type AuthorityRaiseRedLetterFormRequest,
  type AuthorityRaiseRedLetterFormResponse,
} from '@fapiao/contracts';
import { raiseConfirmationForm } from '@fapiao/invoice-domain';
import { Clock } from '../../domain/clock';
import {
  FULL_ONLY_REASONS,
  OPEN_STATES,
  planRedLetter,
  settleExpiry,
  type RedLetterForm,
} from '../../domain/red-letter';
import { SimErrors } from '../../domain/sim.errors';
import { readPayload } from '../../infrastructure/mappers';
import { SimRepository, type SimTransaction } from '../../infrastructure/sim.repository';
import { duplicateSubmissionsTotal } from '../../metrics';
import { toFormView } from '../../queries/views';

@Injectable()
export class RaiseRedLetterFormHandler {
  constructor(
    private readonly repository: SimRepository,
    private readonly clock: Clock,
  ) {}

  /** Raises a form once per serial; one open form per blue invoice at a time. */
  async execute(request: AuthorityRaiseRedLetterFormRequest): Promise<AuthorityRaiseRedLetterFormResponse> {
    const existing = await this.repository.formBySerial(request.serial);
    if (existing) return this.duplicate(existing);
    if (request.lines !== 'full' && FULL_ONLY_REASONS.includes(request.reasonCode)) {
      throw SimErrors.reject(
        Codes.reasonRequiresFull,
        `Reason ${request.reasonCode} (issued in error) reverses the whole invoice`,
        'lines',
      );
    }
    try {
      const form = await this.repository.transaction((tx) => this.raise(tx, request));
      return { ...toFormView(form), duplicate: false };
    } catch (error) {
      const winner = await this.repository.formBySerial(request.serial);
      if (winner) return this.duplicate(winner);
      throw error;
    }
  }

  private duplicate(form: RedLetterForm): AuthorityRaiseRedLetterFormResponse {
    duplicateSubmissionsTotal.inc({ resource: 'red-letter-form' });
    return { ...toFormView(settleExpiry(form, this.clock.now())), duplicate: true };
  }

  private async raise(
    tx: SimTransaction,
    request: AuthorityRaiseRedLetterFormRequest,
  ): Promise<RedLetterForm> {
    const now = this.clock.now();
    const blue = await tx.lockInvoice(request.blueNumber);
    if (!blue)
      throw SimErrors.reject(
        Codes.originalNotFound,
        `No invoice ${request.blueNumber} has been issued`,
        'blueNumber',
      );
    if (blue.kind !== 'blue') {
      throw SimErrors.reject(
        Codes.originalNotBlue,
        `${request.blueNumber} is a red-letter invoice`,
        'blueNumber',
      );
    }
    const forms = (await tx.formsForBlue(blue.number)).map((form) => settleExpiry(form, now));
    const open = forms.find((form) => OPEN_STATES.includes(form.status));
    if (open) throw SimErrors.formPending(blue.number, open.id);

    const plan = planRedLetter(
      { number: blue.number, lines: readPayload(blue).lines },
      forms
        .filter((form) => form.status === 'issued')
        .map((form) => ({ kind: form.scope, lines: form.lines })),
      request.lines === 'full' ? { kind: 'full' } : { kind: 'partial', lines: request.lines },
    );
    const raised = raiseConfirmationForm(
      {
        blueInvoiceNumber: blue.number,
        initiator: request.initiator,
        scope: plan.kind,
        buyerConfirmedUseOrBooked: blue.buyerConfirmedAt !== null,
      },
      now,
    );
    if (!raised.ok)
      throw new Error(`raising a form for ${blue.number}: ${raised.error.code} ${raised.error.message}`);
    const form: RedLetterForm = {
      ...raised.value,
      id: uuidv7(),
      serial: request.serial,
      sellerTaxId: blue.sellerTaxId,
      reasonCode: request.reasonCode,
      lines: plan.lines,
      totals: { net: plan.totals.amount, tax: plan.totals.tax, gross: plan.totals.gross },
    };
    await tx.saveForm(form);
    return form;
  }
}
