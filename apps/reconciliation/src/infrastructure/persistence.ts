import { ReconciliationRepository } from '../domain/reconciliation.repository';
import { AuthorityRecordEntity } from './authority-record.entity';
import { DiscrepancyEntity } from './discrepancy.entity';
import { ReconOrderEntity } from './recon-order.entity';
import { ReconReversalEntity } from './reversal.entity';
import { TypeOrmReconciliationRepository } from './typeorm-reconciliation.repository';

/** reconciliation's tables and the adapters bound to its repository ports. */
export const RECONCILIATION_ENTITIES = [
  ReconOrderEntity,
  AuthorityRecordEntity,
  ReconReversalEntity,
  DiscrepancyEntity,
];

export const RECONCILIATION_REPOSITORIES = [
  { provide: ReconciliationRepository, useClass: TypeOrmReconciliationRepository },
];
