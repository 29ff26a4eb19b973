import { MESSAGING_SCHEMA } from '@fapiao/platform/messaging';
import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { TaxBridgeInitial1763700000400 } from './infrastructure/migrations/1763700000400-tax-bridge-initial';
import { TaxBridgeReversals1763700000401 } from './infrastructure/migrations/1763700000401-tax-bridge-reversals';
import { SubmissionEntity } from './infrastructure/submission.entity';

export const TAX_BRIDGE_SCHEMA: SchemaDefinition = {
  entities: [SubmissionEntity, ...MESSAGING_SCHEMA.entities],
  migrations: [
    ...MESSAGING_SCHEMA.migrations,
    TaxBridgeInitial1763700000400,
    TaxBridgeReversals1763700000401,
  ],
};
