import type { ServiceIdentity } from '@fapiao/platform/config';
import type { ApiInfo } from '@fapiao/platform/service';

export const AUTH_SERVICE: ServiceIdentity = {
  name: 'auth',
  defaultPort: 3001,
  defaultDatabase: 'fapiao_auth',
};

/** What its /docs says besides the routes. */
export const AUTH_API: ApiInfo = {
  title: 'fapiao auth',
  description: 'OAuth2 client credentials (RS256 JWT), JWKS with key rotation, tenants and API clients',
};
