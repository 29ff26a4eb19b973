import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const INVOICE_CONFIG = 'fapiao:config:invoice';

export const invoiceConfig = defineConfig(
  'invoice',
  z.object({
    INVOICE_SUBMISSION_TIMEOUT_MS: env.int(30_000, 100),
    INVOICE_SUBMISSION_RETRY_CAP_MS: env.int(300_000, 100),
    INVOICE_UPPERCASE_UNIT: z.enum(['元', '圆']).default('圆'),
  }),
  (e) => ({
    submissionTimeoutMs: e.INVOICE_SUBMISSION_TIMEOUT_MS,
    submissionRetryCapMs: e.INVOICE_SUBMISSION_RETRY_CAP_MS,
    uppercaseUnit: e.INVOICE_UPPERCASE_UNIT,
  }),
);

export type InvoiceConfig = ReturnType<typeof invoiceConfig.read>;
