import { SagaHistoryEntity } from './saga-history.entity';
import { SagaInstanceEntity } from './saga-instance.entity';
import { SagaTables1763700000110 } from './saga-tables.migration';

/** Add to the schema definition of a service that orchestrates sagas (next to MESSAGING_SCHEMA). */
export const SAGA_SCHEMA = {
  entities: [SagaInstanceEntity, SagaHistoryEntity],
  migrations: [SagaTables1763700000110],
};
