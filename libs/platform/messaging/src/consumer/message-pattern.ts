import type { MessageContract } from '@fapiao/contracts';

export interface MessagePattern {
  topic: string;
  type: string;
}

/** `@EventPattern(onMessage(OrderPlaced))`: routes one message type of one topic to the handler. */
export const onMessage = (contract: MessageContract): MessagePattern => ({
  topic: contract.topic,
  type: contract.type,
});
