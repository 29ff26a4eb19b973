import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  OrderPlaced,
  type MessageOf,
} from '@fapiao/contracts';
import { onMessage, prefetch } from '@fapiao/platform/messaging';
import { IssuanceProcess } from './issuance.process';

/**
 * The issuance flow's messages, handed to its process in the consumer's unit of work; a batch of them is
 * first shown to the process whole, so that it reads what they need in one statement.
 */
@Controller()
export class IssuanceConsumer {
  constructor(private readonly process: IssuanceProcess) {}

  @EventPattern(prefetch(OrderPlaced))
  ordersPlacedAhead(@Payload() envelopes: MessageOf<typeof OrderPlaced>[]) {
    return this.process.ordersPlacedAhead(envelopes);
  }

  @EventPattern(prefetch(InvoiceIssuedByAuthority, InvoiceRejectedByAuthority))
  authorityOutcomesAhead(
    @Payload()
    envelopes: MessageOf<typeof InvoiceIssuedByAuthority | typeof InvoiceRejectedByAuthority>[],
  ) {
    return this.process.authorityOutcomesAhead(envelopes);
  }

  @EventPattern(onMessage(OrderPlaced))
  orderPlaced(@Payload() envelope: MessageOf<typeof OrderPlaced>) {
    return this.process.orderPlaced(envelope);
  }

  @EventPattern(onMessage(InvoiceIssuedByAuthority))
  issued(@Payload() envelope: MessageOf<typeof InvoiceIssuedByAuthority>) {
    return this.process.issued(envelope);
  }

  @EventPattern(onMessage(InvoiceRejectedByAuthority))
  rejected(@Payload() envelope: MessageOf<typeof InvoiceRejectedByAuthority>) {
    return this.process.rejected(envelope);
  }
}
