import { MESSAGING_SCHEMA } from '@fapiao/platform/messaging';
import type { SchemaDefinition } from '@fapiao/platform/persistence';
import { SAGA_SCHEMA } from '@fapiao/platform/saga';
import { InvoiceEventEntity } from './infrastructure/invoice-event.entity';
import { InvoiceLineEntity } from './infrastructure/invoice-line.entity';
import { InvoiceEntity } from './infrastructure/invoice.entity';
import { InvoiceInitial1763700000300 } from './infrastructure/migrations/1763700000300-invoice-initial';
import { InvoiceReversals1763700000301 } from './infrastructure/migrations/1763700000301-invoice-reversals';
import { InvoiceReversalKeyBytes1763700000302 } from './infrastructure/migrations/1763700000302-invoice-reversal-key-bytes';
import { ReversalEntity } from './infrastructure/reversal.entity';

export const INVOICE_ENTITIES = [InvoiceEntity, InvoiceLineEntity, InvoiceEventEntity, ReversalEntity];

export const INVOICE_SCHEMA: SchemaDefinition = {
  entities: [...INVOICE_ENTITIES, ...MESSAGING_SCHEMA.entities, ...SAGA_SCHEMA.entities],
  migrations: [
    ...MESSAGING_SCHEMA.migrations,
    ...SAGA_SCHEMA.migrations,
    InvoiceInitial1763700000300,
    InvoiceReversals1763700000301,
    InvoiceReversalKeyBytes1763700000302,
  ],
};
