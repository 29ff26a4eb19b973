import type { ServiceIdentity } from '@fapiao/platform/config';

export const TAX_BRIDGE_SERVICE: ServiceIdentity = {
  name: 'tax-bridge',
  defaultPort: 3004,
  defaultDatabase: 'fapiao_tax',
};
