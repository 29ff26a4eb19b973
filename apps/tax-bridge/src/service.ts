import type { ServiceIdentity } from '@fapiao/platform/config';
import type { ApiInfo } from '@fapiao/platform/service';

export const TAX_BRIDGE_SERVICE: ServiceIdentity = {
  name: 'tax-bridge',
  defaultPort: 3004,
  defaultDatabase: 'fapiao_tax',
};

/** What its /docs says besides the routes. */
export const TAX_BRIDGE_API: ApiInfo = {
  title: 'fapiao tax-bridge',
  description: 'The only service that talks to the tax authority: resilience, store-and-forward',
};
