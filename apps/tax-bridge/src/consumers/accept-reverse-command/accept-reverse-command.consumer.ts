import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ReverseInvoice, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { onMessage, TenantDirectory } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SubmissionIntake } from '../../forwarding/submission-intake';

/** Queues a red-letter reversal under its red-letter invoice's serial, if its seller is its tenant's. */
@Controller()
export class AcceptReverseCommandConsumer {
  constructor(
    private readonly intake: SubmissionIntake,
    private readonly tenants: TenantDirectory,
  ) {}

  @EventPattern(onMessage(ReverseInvoice))
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof ReverseInvoice>>) {
    const { invoiceId, reversalId } = envelope.payload;
    annotateActiveSpan({ invoiceId, reversalId });
    await this.tenants.assertSeller(envelope.tenantId, envelope.payload.seller.taxId);
    await this.intake.accept('reverse', envelope);
  }
}
