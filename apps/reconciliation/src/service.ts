import type { ServiceIdentity } from '@fapiao/platform/config';
import type { ApiInfo } from '@fapiao/platform/service';

export const RECONCILIATION_SERVICE: ServiceIdentity = {
  name: 'reconciliation',
  defaultPort: 3005,
  defaultDatabase: 'fapiao_recon',
};

/** What its /docs says besides the routes. */
export const RECONCILIATION_API: ApiInfo = {
  title: 'fapiao reconciliation',
  description: 'Matches order, invoice and authority records; finds and repairs drift',
};
