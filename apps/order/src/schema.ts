import { MESSAGING_SCHEMA } from '@fapiao/platform/messaging';
import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { OrderInitial1763700000200 } from './infrastructure/migrations/1763700000200-order-initial';
import { OrderReversals1763700000201 } from './infrastructure/migrations/1763700000201-order-reversals';
import { OrderBoundedInputs1763700000202 } from './infrastructure/migrations/1763700000202-order-bounded-inputs';
import { OrderBacklogIndex1763700000210 } from './infrastructure/migrations/1763700000210-order-backlog-index';
import { ORDER_ENTITIES } from './infrastructure/persistence';

export const ORDER_SCHEMA: SchemaDefinition = {
  entities: [...ORDER_ENTITIES, ...MESSAGING_SCHEMA.entities],
  migrations: [
    ...MESSAGING_SCHEMA.migrations,
    OrderInitial1763700000200,
    OrderReversals1763700000201,
    OrderBoundedInputs1763700000202,
    OrderBacklogIndex1763700000210,
  ],
};
