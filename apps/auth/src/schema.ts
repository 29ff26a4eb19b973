import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { AuthInitial1763700000000 } from './infrastructure/migrations/1763700000000-auth-initial';
import { ClientLifecycle1764400000000 } from './infrastructure/migrations/1764400000000-client-lifecycle';
import { AUTH_ENTITIES } from './infrastructure/persistence';

export const AUTH_SCHEMA: SchemaDefinition = {
  entities: AUTH_ENTITIES,
  migrations: [AuthInitial1763700000000, ClientLifecycle1764400000000],
};
