import type { ServiceIdentity } from '@fapiao/platform/config';

export const RECONCILIATION_SERVICE: ServiceIdentity = {
  name: 'reconciliation',
  defaultPort: 3005,
  defaultDatabase: 'fapiao_recon',
};
