import { runMigrationCli } from '@fapiao/platform/persistence';
import { SIM_SCHEMA } from './schema';
import { SIM_SERVICE } from './service';

void runMigrationCli(SIM_SERVICE, SIM_SCHEMA);
