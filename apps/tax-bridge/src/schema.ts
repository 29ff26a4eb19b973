import { MESSAGING_SCHEMA } from '@fapiao/platform/messaging';
import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { TaxBridgeInitial1763700000400 } from './infrastructure/migrations/1763700000400-tax-bridge-initial';
import { TaxBridgeReversals1763700000401 } from './infrastructure/migrations/1763700000401-tax-bridge-reversals';
import { TAX_BRIDGE_ENTITIES } from './infrastructure/persistence';

export const TAX_BRIDGE_SCHEMA: SchemaDefinition = {
  entities: [...TAX_BRIDGE_ENTITIES, ...MESSAGING_SCHEMA.entities],
  migrations: [
    ...MESSAGING_SCHEMA.migrations,
    TaxBridgeInitial1763700000400,
    TaxBridgeReversals1763700000401,
  ],
};
