import { MESSAGING_SCHEMA } from '@fapiao/platform/messaging';
import type { SchemaDefinition } from '@fapiao/platform/persistence';

export const RECONCILIATION_SCHEMA: SchemaDefinition = {
  entities: [...MESSAGING_SCHEMA.entities],
  migrations: [...MESSAGING_SCHEMA.migrations],
};
