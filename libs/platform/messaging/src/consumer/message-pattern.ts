import type { MessageContract } from '@fapiao/contracts';

export interface MessagePattern {
  topic: string;
  type: string;
}

/** Several message types of one topic whose batches a handler prepares (see `prefetch`). */
export interface PrefetchPattern {
  topic: string;
  /** The types, comma-separated: Nest's route of a pattern keeps strings, not arrays. */
  prefetch: string;
}

/** `@EventPattern(onMessage(OrderPlaced))`: routes one message type of one topic to the handler. */
export const onMessage = (contract: MessageContract): MessagePattern => ({
  topic: contract.topic,
  type: contract.type,
});

/**
 * `@EventPattern(prefetch(InvoiceDrafted, InvoiceIssued))`: the handler receives every new message of these
 * types in a batch (`Envelope[]`, partition order) in the batch's unit of work, before their own handlers
 * run, and loads in one statement what they will read (UnitOfWork.remember). Not called for a message
 * handled alone. All types must be of one topic.
 */
export function prefetch(...contracts: [MessageContract, ...MessageContract[]]): PrefetchPattern {
  const topic = contracts[0].topic;
  const stray = contracts.find((contract) => contract.topic !== topic);
  if (stray) throw new Error(`prefetch: ${stray.type} is not on ${topic}`);
  return { topic, prefetch: contracts.map((contract) => contract.type).join(',') };
}
