import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ReverseInvoice, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { onMessage } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SubmissionIntake } from '../../forwarding/submission-intake';

/** Queues a red-letter reversal under its red-letter invoice's serial. */
@Controller()
export class AcceptReverseCommandConsumer {
  constructor(private readonly intake: SubmissionIntake) {}

  @EventPattern(onMessage(ReverseInvoice))
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof ReverseInvoice>>) {
    const { invoiceId, reversalId } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId });
    await this.intake.accept('reverse', envelope);
  }
}
