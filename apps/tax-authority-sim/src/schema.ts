import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { IssuedInvoiceEntity } from './infrastructure/issued-invoice.entity';
import { SimInitial1763700000600 } from './infrastructure/migrations/1763700000600-sim-initial';
import { SimAuthority1763700000601 } from './infrastructure/migrations/1763700000601-sim-authority';
import { RedLetterFormEntity } from './infrastructure/red-letter-form.entity';

export const SIM_ENTITIES = [IssuedInvoiceEntity, RedLetterFormEntity];
export const SIM_SCHEMA: SchemaDefinition = {
  entities: SIM_ENTITIES,
  migrations: [SimInitial1763700000600, SimAuthority1763700000601],
};
