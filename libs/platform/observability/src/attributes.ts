import { trace } from '@opentelemetry/api';

/**
 * Every custom span attribute and metric label fapiao sets, registered in one place so that names stay
 * consistent across services. Never add personal data here (buyer names, tax ids, bank accounts).
 */
export const FapiaoAttributes = {
  TENANT_ID: 'fapiao.tenant_id',
  ORDER_ID: 'fapiao.order_id',
  INVOICE_ID: 'fapiao.invoice_id',
  SAGA_ID: 'fapiao.saga.id',
  SAGA_STEP: 'fapiao.saga.step',
  SUBMISSION_SERIAL: 'fapiao.tax.submission_serial',
  SUBMISSION_OPERATION: 'fapiao.tax.operation',
  REVERSAL_ID: 'fapiao.reversal_id',
  MESSAGE_TYPE: 'fapiao.message.type',
  ERROR_CODE: 'fapiao.error.code',
} as const;

export type FapiaoAttribute = (typeof FapiaoAttributes)[keyof typeof FapiaoAttributes];

export interface BusinessContext {
  tenantId?: string;
  orderId?: string;
  invoiceId?: string;
  reversalId?: string;
  sagaStep?: string;
}

const ATTRIBUTE_OF: Record<keyof BusinessContext, FapiaoAttribute> = {
  tenantId: FapiaoAttributes.TENANT_ID,
  orderId: FapiaoAttributes.ORDER_ID,
  invoiceId: FapiaoAttributes.INVOICE_ID,
  reversalId: FapiaoAttributes.REVERSAL_ID,
  sagaStep: FapiaoAttributes.SAGA_STEP,
};

/** Tags the active span with the ids an SRE searches by in Jaeger (ids only, never personal data). */
export function annotateActiveSpan(context: BusinessContext): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  for (const [key, value] of Object.entries(context) as [keyof BusinessContext, string | undefined][]) {
    if (value) span.setAttribute(ATTRIBUTE_OF[key], value);
  }
}
