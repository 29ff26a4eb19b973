import type { ServiceIdentity } from '@fapiao/platform/config';

export const INVOICE_SERVICE: ServiceIdentity = {
  name: 'invoice',
  defaultPort: 3003,
  defaultDatabase: 'fapiao_invoice',
};
