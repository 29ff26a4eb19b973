import { MESSAGING_SCHEMA } from '@fapiao/platform/messaging';
import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { AuthorityRecordEntity } from './infrastructure/authority-record.entity';
import { DiscrepancyEntity } from './infrastructure/discrepancy.entity';
import { ReconInitial1763700000500 } from './infrastructure/migrations/1763700000500-recon-initial';
import { ReconReversals1763700000501 } from './infrastructure/migrations/1763700000501-recon-reversals';
import { ReconOrderSeenLater1763700000502 } from './infrastructure/migrations/1763700000502-recon-order-seen-later';
import { ReconOrderEntity } from './infrastructure/recon-order.entity';
import { ReconReversalEntity } from './infrastructure/reversal.entity';

export const RECONCILIATION_SCHEMA: SchemaDefinition = {
  entities: [
    ReconOrderEntity,
    AuthorityRecordEntity,
    ReconReversalEntity,
    DiscrepancyEntity,
    ...MESSAGING_SCHEMA.entities,
  ],
  migrations: [
    ...MESSAGING_SCHEMA.migrations,
    ReconInitial1763700000500,
    ReconReversals1763700000501,
    ReconOrderSeenLater1763700000502,
  ],
};
