import { z } from 'zod';
import {
  ComputedLine,
  Id,
  InvoiceNumber,
  InvoiceType,
  LineInput,
  Money,
  Party,
  TaxId,
  Timestamp,
  Totals,
} from './primitives';
import { TOPICS, type BaseTopic } from './topics';

export interface MessageContract<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  version: number;
  topic: BaseTopic;
  payload: S;
}

const message = <T extends string, S extends z.ZodType>(
  topic: BaseTopic,
  type: T,
  version: number,
  payload: S,
): MessageContract<T, S> => ({ topic, type, version, payload });

export type PayloadOf<M extends MessageContract> = z.infer<M['payload']>;

const FieldError = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });

// fapiao.orders.v1 — produced by order
export const OrderPlaced = message(
  TOPICS.orders,
  'OrderPlaced',
  1,
  z.object({
    orderId: Id,
    externalId: z.string(),
    invoiceType: InvoiceType,
    seller: z.object({ taxId: TaxId }),
    buyer: Party,
    lines: z.array(LineInput).min(1).max(2000),
  }),
);
export const OrderCancelled = message(TOPICS.orders, 'OrderCancelled', 1, z.object({ orderId: Id }));

// fapiao.invoice-requests.v1 — produced by internal systems; order ingests it like a POST
export const InvoiceRequested = message(
  TOPICS.invoiceRequests,
  'InvoiceRequested',
  1,
  z.object({
    requestId: z.string().min(1).max(100),
    externalId: z.string().min(1).max(100),
    invoiceType: InvoiceType,
    buyer: Party,
    lines: z.array(LineInput).min(1).max(2000),
  }),
);

// fapiao.invoices.v1 — produced by invoice
export const InvoiceDrafted = message(
  TOPICS.invoices,
  'InvoiceDrafted',
  1,
  z.object({ invoiceId: Id, orderId: Id, totals: Totals }),
);
export const InvoiceIssued = message(
  TOPICS.invoices,
  'InvoiceIssued',
  1,
  z.object({ invoiceId: Id, orderId: Id, number: InvoiceNumber, issuedAt: Timestamp, totals: Totals }),
);
export const InvoiceRejected = message(
  TOPICS.invoices,
  'InvoiceRejected',
  1,
  z.object({
    invoiceId: Id,
    orderId: Id,
    stage: z.enum(['validation', 'authority']),
    errors: z.array(FieldError).min(1),
  }),
);

// fapiao.tax.commands.v1 — produced by invoice, consumed by tax-bridge
export const IssueInvoice = message(
  TOPICS.taxCommands,
  'IssueInvoice',
  1,
  z.object({
    invoiceId: Id,
    /** Derived once from the invoice id and never regenerated: the authority deduplicates on it. */
    serial: z.string().min(1).max(64),
    invoiceType: InvoiceType,
    seller: z.object({ taxId: TaxId }),
    buyer: Party,
    lines: z.array(ComputedLine).min(1),
    totals: Totals,
  }),
);

// fapiao.tax.events.v1 — produced by tax-bridge
export const InvoiceIssuedByAuthority = message(
  TOPICS.taxEvents,
  'InvoiceIssuedByAuthority',
  1,
  z.object({
    invoiceId: Id,
    serial: z.string(),
    number: InvoiceNumber,
    issuedAt: Timestamp,
    fileRef: z.string(),
    totalGross: Money,
  }),
);
export const InvoiceRejectedByAuthority = message(
  TOPICS.taxEvents,
  'InvoiceRejectedByAuthority',
  1,
  z.object({ invoiceId: Id, serial: z.string(), code: z.string(), message: z.string() }),
);

// fapiao.recon.v1 — produced by reconciliation
export const DiscrepancyDetected = message(
  TOPICS.recon,
  'DiscrepancyDetected',
  1,
  z.object({ orderId: Id, type: z.string(), detail: z.string() }),
);

export const MESSAGE_CONTRACTS: readonly MessageContract[] = [
  OrderPlaced,
  OrderCancelled,
  InvoiceRequested,
  InvoiceDrafted,
  InvoiceIssued,
  InvoiceRejected,
  IssueInvoice,
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  DiscrepancyDetected,
];

/** The contract for a (type, version) pair, or undefined for a type this build does not know. */
export function contractFor(type: string, version: number): MessageContract | undefined {
  return MESSAGE_CONTRACTS.find((contract) => contract.type === type && contract.version === version);
}
