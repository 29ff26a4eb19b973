import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceReversedByAuthority,
  OrderCancelled,
  RedLetterFormRaised,
  ReversalRefusedByAuthority,
  type MessageOf,
} from '@fapiao/contracts';
import { onMessage } from '@fapiao/platform/messaging';
import { ReversalProcess } from './reversal.process';

/** The reversal flow's messages, handed to its process in the consumer's unit of work. */
@Controller()
export class ReversalConsumer {
  constructor(private readonly process: ReversalProcess) {}

  @EventPattern(onMessage(OrderCancelled))
  orderCancelled(@Payload() envelope: MessageOf<typeof OrderCancelled>) {
    return this.process.orderCancelled(envelope);
  }

  @EventPattern(onMessage(RedLetterFormRaised))
  formRaised(@Payload() envelope: MessageOf<typeof RedLetterFormRaised>) {
    return this.process.formRaised(envelope);
  }

  @EventPattern(onMessage(InvoiceReversedByAuthority))
  reversed(@Payload() envelope: MessageOf<typeof InvoiceReversedByAuthority>) {
    return this.process.reversed(envelope);
  }

  @EventPattern(onMessage(ReversalRefusedByAuthority))
  refused(@Payload() envelope: MessageOf<typeof ReversalRefusedByAuthority>) {
    return this.process.refused(envelope);
  }
}
