import { runMigrationCli } from '@fapiao/platform/persistence';
import { INVOICE_SCHEMA } from './schema';
import { INVOICE_SERVICE } from './service';

void runMigrationCli(INVOICE_SERVICE, INVOICE_SCHEMA);
