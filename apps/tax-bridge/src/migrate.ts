import { runMigrationCli } from '@fapiao/platform/persistence';
import { TAX_BRIDGE_SCHEMA } from './schema';
import { TAX_BRIDGE_SERVICE } from './service';

void runMigrationCli(TAX_BRIDGE_SERVICE, TAX_BRIDGE_SCHEMA);
