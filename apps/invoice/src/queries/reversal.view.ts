import { z } from 'zod';
import { RedLetterReason, ReversalCause } from '@fapiao/contracts';
import { REVERSAL_STATUSES } from '../domain/invoice-status';
import type { Reversal } from '../domain/reversal';

const Amount = (example: string) => z.string().meta({ example });

const ReversalTotalsSchema = z.object({
  net: Amount('-943.40'),
  tax: Amount('-56.60'),
  gross: Amount('-1000.00'),
});

const ReversalLineSchema = z.object({
  lineNo: z.number().int(),
  amount: Amount('-500.00').describe('Net amount taken back (negative)'),
  tax: Amount('-30.00'),
  quantity: z.string().optional(),
});

/** A red-letter reversal (红冲) of an invoice and how far it got. */
export const ReversalViewSchema = z.object({
  id: z.uuid(),
  invoiceId: z.uuid(),
  status: z.enum(REVERSAL_STATUSES),
  cause: ReversalCause,
  kind: z.enum(['full', 'partial']),
  reasonCode: RedLetterReason,
  lines: z.array(ReversalLineSchema).describe('The planned red-letter lines'),
  plannedTotals: ReversalTotalsSchema.describe('The planned (negative) totals'),
  form: z.object({
    serial: z.string().describe('Our serial of the confirmation form (红字确认单)'),
    id: z.string().nullable().describe("The authority's form id, once raised"),
    expiresAt: z.iso.datetime().nullable().describe('When an unanswered form voids itself'),
  }),
  red: z.object({
    serial: z.string().describe('Our serial of the red-letter invoice'),
    number: z.string().nullable(),
    issuedAt: z.iso.datetime().nullable(),
    totals: ReversalTotalsSchema.nullable(),
    fileRef: z.string().nullable(),
  }),
  error: z.object({ code: z.string(), message: z.string() }).nullable().describe('Why it was refused'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ReversalView = z.infer<typeof ReversalViewSchema>;

export const ReversalView = {
  from(reversal: Reversal): ReversalView {
    const state = reversal.snapshot();
    return {
      id: state.id,
      invoiceId: state.invoiceId,
      status: state.status,
      cause: state.cause,
      kind: state.kind,
      reasonCode: state.reasonCode,
      lines: state.lines.map((line) => ({ ...line })),
      plannedTotals: state.planned,
      form: {
        serial: state.formSerial,
        id: state.formId,
        expiresAt: state.formExpiresAt?.toISOString() ?? null,
      },
      red: {
        serial: state.redSerial,
        number: state.red?.number ?? null,
        issuedAt: state.red?.issuedAt.toISOString() ?? null,
        totals: state.red?.totals ?? null,
        fileRef: state.red?.fileRef ?? null,
      },
      error: state.error,
      createdAt: state.createdAt.toISOString(),
      updatedAt: state.updatedAt.toISOString(),
    };
  },
};
