import { MESSAGING_SCHEMA } from '@fapiao/platform/messaging';
import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { ReconInitial1763700000500 } from './infrastructure/migrations/1763700000500-recon-initial';
import { ReconReversals1763700000501 } from './infrastructure/migrations/1763700000501-recon-reversals';
import { ReconOrderSeenLater1763700000502 } from './infrastructure/migrations/1763700000502-recon-order-seen-later';
import { RECONCILIATION_ENTITIES } from './infrastructure/persistence';

export const RECONCILIATION_SCHEMA: SchemaDefinition = {
  entities: [...RECONCILIATION_ENTITIES, ...MESSAGING_SCHEMA.entities],
  migrations: [
    ...MESSAGING_SCHEMA.migrations,
    ReconInitial1763700000500,
    ReconReversals1763700000501,
    ReconOrderSeenLater1763700000502,
  ],
};
