import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IssueInvoice, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { onMessage } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SubmissionIntake } from '../../forwarding/submission-intake';

/** Queues an invoice for issuance under its serial. */
@Controller()
export class AcceptIssueCommandConsumer {
  constructor(private readonly intake: SubmissionIntake) {}

  @EventPattern(onMessage(IssueInvoice))
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof IssueInvoice>>) {
    annotateActiveSpan({ invoiceId: envelope.payload.invoiceId });
    await this.intake.accept('issue', envelope);
  }
}
