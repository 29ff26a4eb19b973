import { runMigrationCli } from '@fapiao/platform/persistence';
import { RECONCILIATION_SCHEMA } from './schema';
import { RECONCILIATION_SERVICE } from './service';

void runMigrationCli(RECONCILIATION_SERVICE, RECONCILIATION_SCHEMA);
