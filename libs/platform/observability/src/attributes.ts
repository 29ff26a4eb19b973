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
  MESSAGE_TYPE: 'fapiao.message.type',
  ERROR_CODE: 'fapiao.error.code',
} as const;

export type FapiaoAttribute = (typeof FapiaoAttributes)[keyof typeof FapiaoAttributes];
