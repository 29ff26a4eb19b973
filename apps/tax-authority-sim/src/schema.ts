import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { IssuedInvoiceEntity } from './infrastructure/issued-invoice.entity';
import { SimInitial1763700000600 } from './infrastructure/migrations/1763700000600-sim-initial';

export const SIM_ENTITIES = [IssuedInvoiceEntity];
export const SIM_SCHEMA: SchemaDefinition = { entities: SIM_ENTITIES, migrations: [SimInitial1763700000600] };
