import { z } from 'zod';
import {
  ComputedLine,
  Decimal,
  Id,
  InvoiceNumber,
  InvoiceType,
  LineInput,
  Money,
  Party,
  RedLetterReason,
  TaxId,
  Timestamp,
  Totals,
} from './primitives';
import type { Envelope } from './envelope';
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
/** The envelope a consumer receives for a contract. */
export type MessageOf<M extends MessageContract> = Envelope<PayloadOf<M>>;

const FieldError = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });

// fapiao.orders.v1 — produced by order
export const OrderPlaced = message(
  TOPICS.orders,
  'OrderPlaced',
  1,
  z.object({
    orderId: Id,
    externalId: z.string().min(1).max(100),
    invoiceType: InvoiceType,
    seller: z.object({ taxId: TaxId }),
    buyer: Party,
    lines: z.array(LineInput).min(1).max(2000),
  }),
);
/**
 * The order was cancelled. If its invoice was (or gets) issued, invoice reverses what remains of it with a
 * red-letter invoice for `reasonCode` (absent in events from earlier builds: 02 returned).
 */
export const OrderCancelled = message(
  TOPICS.orders,
  'OrderCancelled',
  1,
  z.object({ orderId: Id, reasonCode: RedLetterReason.optional() }),
);

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
    /** The first 50 problems at most (the domain library's MAX_REPORTED_ERRORS), stored by order. */
    errors: z.array(FieldError).min(1).max(50),
  }),
);

/** Why a red-letter reversal was started: a client's request, or the order's cancellation. */
export const ReversalCause = z.enum(['request', 'order-cancelled']);
export type ReversalCause = z.infer<typeof ReversalCause>;

/** A red-letter invoice the authority issued: negative totals. */
export const InvoiceReversed = message(
  TOPICS.invoices,
  'InvoiceReversed',
  1,
  z.object({
    invoiceId: Id,
    orderId: Id,
    reversalId: Id,
    cause: ReversalCause,
    kind: z.enum(['full', 'partial']),
    reasonCode: RedLetterReason,
    redNumber: InvoiceNumber,
    issuedAt: Timestamp,
    totals: Totals,
    /** What remains invoiced after this reversal (blue + every red). */
    remainingGross: Money,
    fullyReversed: z.boolean(),
  }),
);
export const InvoiceReversalRefused = message(
  TOPICS.invoices,
  'InvoiceReversalRefused',
  1,
  z.object({
    invoiceId: Id,
    orderId: Id,
    reversalId: Id,
    cause: ReversalCause,
    code: z.string(),
    message: z.string(),
    /** Whether an earlier reversal took back part of the invoice (the order returns to that state). */
    partiallyReversed: z.boolean(),
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

/**
 * Reverse (part of) an issued invoice: raise a confirmation form under `formSerial`, wait for the buyer
 * where the authority requires it, then issue the red-letter invoice under `redSerial`. Both serials are
 * derived once from the reversal id, so a repeated command never raises or issues twice.
 */
export const ReverseInvoice = message(
  TOPICS.taxCommands,
  'ReverseInvoice',
  1,
  z.object({
    invoiceId: Id,
    reversalId: Id,
    formSerial: z.string().min(1).max(64),
    redSerial: z.string().min(1).max(64),
    blueNumber: InvoiceNumber,
    reasonCode: RedLetterReason,
    /** "full", or the positive net amounts (and quantities) to take back per blue line. */
    scope: z.union([
      z.literal('full'),
      z
        .array(z.object({ lineNo: z.number().int().min(1), amount: Money, quantity: Decimal.optional() }))
        .min(1),
    ]),
    invoiceType: InvoiceType,
    seller: z.object({ taxId: TaxId }),
    buyer: Party,
    /** The blue invoice's lines: the red-letter lines carry their descriptions with the form's figures. */
    blueLines: z.array(ComputedLine).min(1),
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

/** The authority raised the confirmation form and it awaits the buyer (红字确认单 to confirm). */
export const RedLetterFormRaised = message(
  TOPICS.taxEvents,
  'RedLetterFormRaised',
  1,
  z.object({
    invoiceId: Id,
    reversalId: Id,
    formId: z.string(),
    formSerial: z.string(),
    expiresAt: Timestamp.nullable(),
  }),
);
export const InvoiceReversedByAuthority = message(
  TOPICS.taxEvents,
  'InvoiceReversedByAuthority',
  1,
  z.object({
    invoiceId: Id,
    reversalId: Id,
    formId: z.string(),
    redSerial: z.string(),
    number: InvoiceNumber,
    issuedAt: Timestamp,
    fileRef: z.string(),
    /** Negative. */
    totals: Totals,
  }),
);
/** The authority refused the form or the red-letter invoice, or the buyer declined, or the form expired. */
export const ReversalRefusedByAuthority = message(
  TOPICS.taxEvents,
  'ReversalRefusedByAuthority',
  1,
  z.object({ invoiceId: Id, reversalId: Id, code: z.string(), message: z.string() }),
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
  InvoiceReversed,
  InvoiceReversalRefused,
  IssueInvoice,
  ReverseInvoice,
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  RedLetterFormRaised,
  InvoiceReversedByAuthority,
  ReversalRefusedByAuthority,
  DiscrepancyDetected,
];

/** The contract for a (type, version) pair, or undefined for a type this build does not know. */
export function contractFor(type: string, version: number): MessageContract | undefined {
  return MESSAGE_CONTRACTS.find((contract) => contract.type === type && contract.version === version);
}
