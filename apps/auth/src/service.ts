import type { ServiceIdentity } from '@fapiao/platform/config';

export const AUTH_SERVICE: ServiceIdentity = {
  name: 'auth',
  defaultPort: 3001,
  defaultDatabase: 'fapiao_auth',
};
