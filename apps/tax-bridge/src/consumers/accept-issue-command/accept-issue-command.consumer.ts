import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IssueInvoice, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { onMessage, TenantDirectory } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SubmissionIntake } from '../../forwarding/submission-intake';

/** Queues an invoice for issuance under its serial, if its seller is its tenant's. */
@Controller()
export class AcceptIssueCommandConsumer {
  constructor(
    private readonly intake: SubmissionIntake,
    private readonly tenants: TenantDirectory,
  ) {}

  @EventPattern(onMessage(IssueInvoice))
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof IssueInvoice>>) {
    annotateActiveSpan({ invoiceId: envelope.payload.invoiceId });
    await this.tenants.assertSeller(envelope.tenantId, envelope.payload.seller.taxId);
    await this.intake.accept('issue', envelope);
  }
}
