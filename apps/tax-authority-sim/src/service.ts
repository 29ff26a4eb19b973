import type { ServiceIdentity } from '@fapiao/platform/config';

export const SIM_SERVICE: ServiceIdentity = {
  name: 'tax-authority-sim',
  defaultPort: 3010,
  defaultDatabase: 'fapiao_sim',
};
