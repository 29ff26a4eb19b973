import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IssueInvoice, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { onMessage, prefetch, TenantDirectory } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SubmissionIntake } from '../../forwarding/submission-intake';

/** Queues an invoice for issuance under its serial, if its seller is its tenant's; a batch's submissions are read at once. */
@Controller()
export class AcceptIssueCommandConsumer {
  constructor(
    private readonly intake: SubmissionIntake,
    private readonly tenants: TenantDirectory,
  ) {}

  @EventPattern(prefetch(IssueInvoice))
  ahead(@Payload() envelopes: Envelope<PayloadOf<typeof IssueInvoice>>[]) {
    return this.intake.acceptAhead('issue', envelopes);
  }

  @EventPattern(onMessage(IssueInvoice))
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof IssueInvoice>>) {
    annotateActiveSpan({ invoiceId: envelope.payload.invoiceId });
    await this.tenants.assertSeller(envelope.tenantId, envelope.payload.seller.taxId);
    await this.intake.accept('issue', envelope);
  }
}
