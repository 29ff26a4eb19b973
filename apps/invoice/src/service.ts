import type { ServiceIdentity } from '@fapiao/platform/config';
import type { ApiInfo } from '@fapiao/platform/service';

export const INVOICE_SERVICE: ServiceIdentity = {
  name: 'invoice',
  defaultPort: 3003,
  defaultDatabase: 'fapiao_invoice',
};

/** What its /docs says besides the routes. */
export const INVOICE_API: ApiInfo = {
  title: 'fapiao invoice',
  description: 'Invoice model, numbering, the issuance and red-letter sagas',
};
