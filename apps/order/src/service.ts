import type { ServiceIdentity } from '@fapiao/platform/config';

export const ORDER_SERVICE: ServiceIdentity = {
  name: 'order',
  defaultPort: 3002,
  defaultDatabase: 'fapiao_order',
};
