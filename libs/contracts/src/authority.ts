import { z } from 'zod';
import {
  Decimal,
  InvoiceNumber,
  InvoiceType,
  Money,
  Party,
  RedLetterReason,
  TaxCode,
  TaxId,
  TaxRate,
  Timestamp,
  Totals,
} from './primitives';

/*
 * The tax authority's HTTP API (乐企 direct connection or an intermediary such as 诺诺/百望), as
 * tax-authority-sim serves it and tax-bridge's adapter calls it. Errors use the platform's ErrorBody
 * with the codes below. Any 5xx, a reset connection or no answer at all means the outcome is UNKNOWN:
 * resolve it with GET /v1/invoices/by-serial/:serial before submitting again.
 */

export const AuthoritySerial = z
  .string()
  .min(1)
  .max(64)
  .describe("The submitter's idempotency key: at most one invoice (or form) per serial, case-sensitive");

/** A signed quantity: red-letter lines carry negative quantities. */
const SignedDecimal = z.string().regex(/^-?\d{1,15}(\.\d{1,15})?$/, 'a decimal number');

export const AuthorityLineSchema = z.object({
  lineNo: z.number().int().min(1),
  name: z.string().trim().min(1).max(200),
  taxCode: TaxCode,
  quantity: SignedDecimal,
  unitPrice: Decimal,
  taxRate: TaxRate,
  priceIncludesTax: z.boolean(),
  unit: z.string().max(20).optional(),
  specification: z.string().max(100).optional(),
  net: Money,
  tax: Money,
  gross: Money,
});
export type AuthorityLine = z.infer<typeof AuthorityLineSchema>;

/** `POST /v1/invoices`: a blue invoice, or a red-letter (negative) one against a confirmed form. */
export const AuthorityIssueRequestSchema = z.object({
  serial: AuthoritySerial,
  kind: z.enum(['blue', 'red']),
  invoiceType: InvoiceType,
  seller: z.object({ taxId: TaxId }),
  buyer: Party,
  lines: z.array(AuthorityLineSchema).min(1).max(2000),
  totals: Totals,
  originalNumber: InvoiceNumber.optional().describe('Red only: the blue invoice being reversed'),
  redLetterFormId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'Red only: the confirmed (or confirmation-not-required) form (红字确认单) it is issued against',
    ),
});
export type AuthorityIssueRequest = z.infer<typeof AuthorityIssueRequestSchema>;

/** An issued invoice as the list query returns it (no lines). */
export const AuthorityInvoiceSummarySchema = z.object({
  number: InvoiceNumber,
  serial: AuthoritySerial,
  kind: z.enum(['blue', 'red']),
  invoiceType: InvoiceType,
  seller: z.object({ taxId: TaxId }),
  buyer: Party,
  totals: Totals,
  originalNumber: InvoiceNumber.nullable(),
  redLetterFormId: z.string().nullable(),
  issuedAt: Timestamp,
  /** Reference to the signed invoice file (OFD/PDF/XML at the real authority). */
  fileRef: z.string(),
  /** Whether the buyer has confirmed the invoice's use or booked it (用途确认/入账确认). */
  buyerConfirmed: z.boolean(),
});
export type AuthorityInvoiceSummary = z.infer<typeof AuthorityInvoiceSummarySchema>;

/** `GET /v1/invoices/:number` and `GET /v1/invoices/by-serial/:serial`. */
export const AuthorityInvoiceSchema = AuthorityInvoiceSummarySchema.extend({
  lines: z.array(AuthorityLineSchema),
});
export type AuthorityInvoice = z.infer<typeof AuthorityInvoiceSchema>;

/** `POST /v1/invoices` answer: 201 with `duplicate: false`, or 200 with the earlier record and `duplicate: true`. */
export const AuthorityIssueResponseSchema = AuthorityInvoiceSchema.extend({ duplicate: z.boolean() });
export type AuthorityIssueResponse = z.infer<typeof AuthorityIssueResponseSchema>;

/** The most invoices one batch upload may carry; more is refused whole with SIM.BATCH_TOO_LARGE. */
export const AUTHORITY_BATCH_MAX_ITEMS = 100;

/** One invoice of a batch upload: a blue invoice, exactly as `POST /v1/invoices` takes it. */
export const AuthorityBatchIssueItemSchema = AuthorityIssueRequestSchema.extend({ kind: z.literal('blue') });
export type AuthorityBatchIssueItem = z.infer<typeof AuthorityBatchIssueItemSchema>;

/**
 * `POST /v1/invoices/batch`: up to AUTHORITY_BATCH_MAX_ITEMS blue invoices in one request. Each item is
 * judged on its own, as the single endpoint would judge it: an invalid item is rejected alone.
 */
export const AuthorityBatchIssueRequestSchema = z.object({
  items: z.array(AuthorityBatchIssueItemSchema).min(1).max(AUTHORITY_BATCH_MAX_ITEMS),
});
export type AuthorityBatchIssueRequest = z.infer<typeof AuthorityBatchIssueRequestSchema>;

const BatchItemKey = {
  index: z.number().int().min(0).describe('Position of the item in the request'),
  serial: AuthoritySerial.nullable().describe("The item's serial; null when it had no valid one"),
};

/** What one item of a batch came to: what the single endpoint would have answered for it. */
export const AuthorityBatchIssueResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    ...BatchItemKey,
    outcome: z.literal('issued'),
    invoice: AuthorityIssueResponseSchema.describe('`duplicate: false`'),
  }),
  z.object({
    ...BatchItemKey,
    outcome: z.literal('duplicate'),
    invoice: AuthorityIssueResponseSchema.describe(
      'The invoice issued earlier under this serial (or by an earlier item of the batch), `duplicate: true`',
    ),
  }),
  z.object({
    ...BatchItemKey,
    outcome: z.literal('rejected'),
    code: z.string().describe('A definite rejection (the 422 code the single endpoint answers)'),
    message: z.string(),
    field: z.string().optional(),
    errors: z
      .array(z.object({ code: z.string(), message: z.string(), field: z.string().optional() }))
      .optional(),
  }),
]);
export type AuthorityBatchIssueResult = z.infer<typeof AuthorityBatchIssueResultSchema>;

/** `POST /v1/invoices/batch` answer (200): one result per item, in the order of the request. */
export const AuthorityBatchIssueResponseSchema = z.object({
  items: z.array(AuthorityBatchIssueResultSchema),
});
export type AuthorityBatchIssueResponse = z.infer<typeof AuthorityBatchIssueResponseSchema>;

/** `GET /v1/invoices?sellerTaxId=&from=&to=&page=&pageSize=`, oldest first. */
export const AuthorityListInvoicesQuerySchema = z.object({
  sellerTaxId: TaxId,
  kind: z.enum(['blue', 'red']).optional(),
  /** Issued at or after this instant. */
  from: Timestamp.optional(),
  /** Issued before this instant. */
  to: Timestamp.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuthorityListInvoicesQuery = z.infer<typeof AuthorityListInvoicesQuerySchema>;

export const AuthorityInvoicePageSchema = z.object({
  items: z.array(AuthorityInvoiceSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AuthorityInvoicePage = z.infer<typeof AuthorityInvoicePageSchema>;

/** The reason codes of a red-letter invoice (messages.ts). */
export const AuthorityRedLetterReason = RedLetterReason;

/** States of a confirmation form (the invoice-domain state machine). */
export const AuthorityRedLetterFormState = z.enum([
  'raised',
  'confirmation-not-required',
  'confirmed',
  'declined',
  'expired',
  'revoked',
  'issued',
]);

/** `POST /v1/red-letter-forms`: raise a confirmation form (红字确认单) against a blue invoice. */
export const AuthorityRaiseRedLetterFormRequestSchema = z.object({
  serial: AuthoritySerial,
  blueNumber: InvoiceNumber,
  initiator: z.enum(['seller', 'buyer']),
  reasonCode: AuthorityRedLetterReason,
  lines: z
    .union([
      z.literal('full'),
      z
        .array(
          z.object({
            lineNo: z.number().int().min(1),
            amount: Money,
            quantity: Decimal.optional(),
          }),
        )
        .min(1)
        .max(2000),
    ])
    .describe('"full", or the positive net amounts (and optionally quantities) to take back per blue line'),
});
export type AuthorityRaiseRedLetterFormRequest = z.infer<typeof AuthorityRaiseRedLetterFormRequestSchema>;

/** `POST /v1/red-letter-forms/:id/confirm|decline|revoke`: who acts (the other party confirms or declines, the initiator revokes). */
export const AuthorityRedLetterFormActionSchema = z.object({ by: z.enum(['seller', 'buyer']) });
export type AuthorityRedLetterFormAction = z.infer<typeof AuthorityRedLetterFormActionSchema>;

export const AuthorityRedLetterFormSchema = z.object({
  id: z.string(),
  serial: AuthoritySerial,
  blueNumber: InvoiceNumber,
  sellerTaxId: TaxId,
  initiator: z.enum(['seller', 'buyer']),
  reasonCode: AuthorityRedLetterReason,
  scope: z.enum(['full', 'partial']),
  state: AuthorityRedLetterFormState,
  /** The red-letter invoice's figures per blue line: negative net amount and tax (and quantity). */
  lines: z.array(
    z.object({ lineNo: z.number().int(), amount: Money, tax: Money, quantity: z.string().optional() }),
  ),
  /** Negative totals the red-letter invoice must carry. */
  totals: Totals,
  raisedAt: Timestamp,
  /** When an unanswered form voids itself (72 h after it was raised); null when no confirmation is needed. */
  expiresAt: Timestamp.nullable(),
  updatedAt: Timestamp,
  redInvoiceNumber: InvoiceNumber.nullable(),
});
export type AuthorityRedLetterForm = z.infer<typeof AuthorityRedLetterFormSchema>;

/** `POST /v1/red-letter-forms` answer: 201, or 200 with `duplicate: true` for a serial seen before. */
export const AuthorityRaiseRedLetterFormResponseSchema = AuthorityRedLetterFormSchema.extend({
  duplicate: z.boolean(),
});
export type AuthorityRaiseRedLetterFormResponse = z.infer<typeof AuthorityRaiseRedLetterFormResponseSchema>;

const Rate = z.number().min(0).max(1);

/**
 * `POST /v1/faults` (simulator control): replaces the injected faults. For every authority request the
 * simulator draws three numbers from a PRNG seeded with `seed`, so one seed and one request sequence
 * always give the same faults. Rates are probabilities per request and may add up to at most 1.
 */
export const AuthorityFaultsRequestSchema = z
  .object({
    seed: z
      .number()
      .int()
      .min(0)
      .max(0x7fffffff)
      .optional()
      .describe('Seed of the fault PRNG; a random one (shown by GET /v1/faults) when omitted'),
    latencyMs: z
      .object({ min: z.number().int().min(0).max(600_000), max: z.number().int().min(0).max(600_000) })
      .refine((latency) => latency.max >= latency.min, { message: 'max must be at least min', path: ['max'] })
      .optional()
      .describe('Added to every request that gets past maintenance and rate limit, uniform in [min, max]'),
    timeoutRate: Rate.optional().describe('Share of requests that time out, as timeoutMode says'),
    timeoutMode: z
      .union([z.literal('hang'), z.object({ afterMs: z.number().int().min(1).max(600_000) })])
      .optional()
      .describe(
        '"hang" (default): never answered, never processed; {afterMs}: processed and answered afterMs late',
      ),
    errorRate: Rate.optional().describe('Share of requests answered with a 5xx without being processed'),
    errorStatuses: z
      .array(z.union([z.literal(500), z.literal(502), z.literal(503)]))
      .min(1)
      .optional()
      .describe('The statuses errorRate picks from, evenly (default all three)'),
    resetRate: Rate.optional().describe(
      'Share of connections reset (TCP RST) before the request is processed',
    ),
    responseLostRate: Rate.optional().describe(
      'Share of requests processed and committed, then answered with a reset connection instead',
    ),
    rateLimit: z
      .object({ perSecond: z.number().int().min(1).max(100_000) })
      .optional()
      .describe(
        'A rate limit in place of the configured one: 429 SIM.RATE_LIMITED with Retry-After beyond it',
      ),
    maintenance: z
      .object({
        forSeconds: z
          .number()
          .int()
          .min(1)
          .max(31 * 86_400),
      })
      .optional()
      .describe('Maintenance from now on for this long: 503 SIM.MAINTENANCE with Retry-After'),
    certificateExpired: z
      .boolean()
      .optional()
      .describe('Refuse every request with 403 SIM.CLIENT_CERTIFICATE_EXPIRED (TLS itself is not simulated)'),
  })
  .strict()
  .refine(
    (faults) =>
      (faults.timeoutRate ?? 0) +
        (faults.errorRate ?? 0) +
        (faults.resetRate ?? 0) +
        (faults.responseLostRate ?? 0) <=
      1,
    {
      message: 'timeoutRate + errorRate + resetRate + responseLostRate must not exceed 1',
      path: ['errorRate'],
    },
  );
export type AuthorityFaultsRequest = z.infer<typeof AuthorityFaultsRequestSchema>;

export const AUTHORITY_FAULT_KINDS = [
  'latency',
  'timeout',
  'error',
  'reset',
  'response_lost',
  'rate_limited',
  'maintenance',
  'certificate_expired',
] as const;
export type AuthorityFaultKind = (typeof AUTHORITY_FAULT_KINDS)[number];

/** The faults in force, with every default filled in. */
export const AuthorityFaultSpecSchema = z.object({
  seed: z.number().int(),
  latencyMs: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  timeoutRate: z.number(),
  timeoutMode: z.union([z.literal('hang'), z.object({ afterMs: z.number().int() })]),
  errorRate: z.number(),
  errorStatuses: z.array(z.number().int()),
  resetRate: z.number(),
  responseLostRate: z.number(),
  rateLimit: z.object({ perSecond: z.number().int() }).nullable(),
  maintenance: z.object({ forSeconds: z.number().int(), until: Timestamp }).nullable(),
  certificateExpired: z.boolean(),
});
export type AuthorityFaultSpec = z.infer<typeof AuthorityFaultSpecSchema>;

/** `GET /v1/faults`, and the answer to `POST /v1/faults`. */
export const AuthorityFaultsViewSchema = z.object({
  active: z.boolean(),
  spec: AuthorityFaultSpecSchema.nullable(),
  setAt: Timestamp.nullable(),
  /** Authority requests seen since the faults were set. */
  requests: z.number().int(),
  /** Faults injected since the faults were set, by kind. */
  injected: z.record(z.enum(AUTHORITY_FAULT_KINDS), z.number().int()),
});
export type AuthorityFaultsView = z.infer<typeof AuthorityFaultsViewSchema>;

/** `PUT /v1/maintenance/calendar` (simulator control): switch the monthly calendar or change its days. */
export const AuthorityMaintenanceCalendarRequestSchema = z
  .object({
    enabled: z.boolean(),
    /** Days of the month (UTC+8), e.g. "25-27" or "1,15-16". */
    days: z.string().min(1).max(100).optional(),
  })
  .strict();
export type AuthorityMaintenanceCalendarRequest = z.infer<typeof AuthorityMaintenanceCalendarRequestSchema>;

const Window = z.object({ start: Timestamp, end: Timestamp });

/** `GET /v1/status`: never subject to faults. */
export const AuthorityStatusSchema = z.object({
  maintenance: z.object({
    active: z.boolean(),
    /** When the current maintenance ends (present while active). */
    until: Timestamp.optional(),
    source: z.enum(['calendar', 'injected']).optional(),
    calendar: z.object({ enabled: z.boolean(), days: z.string() }),
    /** The next calendar window that starts after now; null when the calendar is off. */
    nextWindow: Window.nullable(),
  }),
  rateLimit: z.object({ perSecond: z.number().int().nullable() }),
  faults: AuthorityFaultsViewSchema,
});
export type AuthorityStatus = z.infer<typeof AuthorityStatusSchema>;

/**
 * Stable error codes. 422 codes are definite rejections (never retry the same request); 5xx, resets and
 * timeouts are UNKNOWN outcomes; 429 and 503 SIM.MAINTENANCE carry Retry-After (seconds).
 */
export const AuthorityErrorCodes = {
  /** 422: the body or query does not match the schema; `errors` lists every field. */
  requestInvalid: 'SIM.REQUEST_INVALID',
  /** 401: a control route (faults, maintenance calendar, buyer answers) without the simulator's admin token. */
  adminTokenRequired: 'SIM.ADMIN_TOKEN_REQUIRED',
  /** 422: a batch upload with more than AUTHORITY_BATCH_MAX_ITEMS invoices; nothing of it was processed. */
  batchTooLarge: 'SIM.BATCH_TOO_LARGE',
  /** 404: no invoice or form with that number, serial or id. */
  notFound: 'SIM.NOT_FOUND',
  sellerTaxIdInvalid: 'SIM.SELLER_TAX_ID_INVALID',
  buyerTaxIdInvalid: 'SIM.BUYER_TAX_ID_INVALID',
  buyerTaxIdRequired: 'SIM.BUYER_TAX_ID_REQUIRED',
  taxCodeInvalid: 'SIM.TAX_CODE_INVALID',
  taxRateInvalid: 'SIM.TAX_RATE_INVALID',
  specialExempt: 'SIM.SPECIAL_EXEMPT',
  lineNumbersInvalid: 'SIM.LINE_NUMBERS_INVALID',
  lineAmountsInvalid: 'SIM.LINE_AMOUNTS_INVALID',
  taxToleranceExceeded: 'SIM.TAX_TOLERANCE_EXCEEDED',
  totalsMismatch: 'SIM.TOTALS_MISMATCH',
  amountSign: 'SIM.AMOUNT_SIGN',
  originalNumberRequired: 'SIM.ORIGINAL_NUMBER_REQUIRED',
  originalNotAllowed: 'SIM.ORIGINAL_NOT_ALLOWED',
  originalNotFound: 'SIM.ORIGINAL_NOT_FOUND',
  originalNotBlue: 'SIM.ORIGINAL_NOT_BLUE',
  originalMismatch: 'SIM.ORIGINAL_MISMATCH',
  redLetterFormRequired: 'SIM.RED_LETTER_FORM_REQUIRED',
  redLetterFormNotFound: 'SIM.RED_LETTER_FORM_NOT_FOUND',
  redLetterFormNotConfirmed: 'SIM.RED_LETTER_FORM_NOT_CONFIRMED',
  redLetterFormMismatch: 'SIM.RED_LETTER_FORM_MISMATCH',
  redExceedsBlue: 'SIM.RED_EXCEEDS_BLUE',
  alreadyFullyReversed: 'SIM.ALREADY_FULLY_REVERSED',
  alreadyPartiallyReversed: 'SIM.ALREADY_PARTIALLY_REVERSED',
  reversalExceedsRemaining: 'SIM.REVERSAL_EXCEEDS_REMAINING',
  reversalInvalid: 'SIM.REVERSAL_INVALID',
  reasonRequiresFull: 'SIM.REASON_REQUIRES_FULL',
  /** 409: another form for the same blue invoice is still open. */
  redLetterFormPending: 'SIM.RED_LETTER_FORM_PENDING',
  /** 409: the form's state does not allow the action. */
  redLetterInvalidTransition: 'SIM.RED_LETTER_INVALID_TRANSITION',
  /** 409: the form voided itself 72 h after it was raised. */
  redLetterExpired: 'SIM.RED_LETTER_EXPIRED',
  redLetterNotCounterparty: 'SIM.RED_LETTER_NOT_COUNTERPARTY',
  redLetterNotInitiator: 'SIM.RED_LETTER_NOT_INITIATOR',
  /** 503 with Retry-After: scheduled or injected maintenance. */
  maintenance: 'SIM.MAINTENANCE',
  /** 429 with Retry-After. */
  rateLimited: 'SIM.RATE_LIMITED',
  /** 403: the client certificate has expired; retrying cannot help, an operator must renew it. */
  clientCertificateExpired: 'SIM.CLIENT_CERTIFICATE_EXPIRED',
  /** 500/502/503 injected by the fault API: the simulator processed nothing, but to a caller the outcome is unknown. */
  internalError: 'SIM.INTERNAL_ERROR',
  badGateway: 'SIM.BAD_GATEWAY',
  unavailable: 'SIM.UNAVAILABLE',
} as const;
export type AuthorityErrorCode = (typeof AuthorityErrorCodes)[keyof typeof AuthorityErrorCodes];
