import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  OrderPlaced,
  type MessageOf,
} from '@fapiao/contracts';
import { onMessage } from '@fapiao/platform/messaging';
import { IssuanceProcess } from './issuance.process';

/** The issuance flow's messages, handed to its process in the consumer's unit of work. */
@Controller()
export class IssuanceConsumer {
  constructor(private readonly process: IssuanceProcess) {}

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
