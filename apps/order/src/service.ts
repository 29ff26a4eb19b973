import type { ServiceIdentity } from '@fapiao/platform/config';
import type { ApiInfo } from '@fapiao/platform/service';

export const ORDER_SERVICE: ServiceIdentity = {
  name: 'order',
  defaultPort: 3002,
  defaultDatabase: 'fapiao_order',
};

/** What its /docs says besides the routes. */
export const ORDER_API: ApiInfo = {
  title: 'fapiao order',
  description: 'Public order API and ingest of internal invoice requests; order state',
};
