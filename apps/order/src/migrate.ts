import { runMigrationCli } from '@fapiao/platform/persistence';
import { ORDER_SCHEMA } from './schema';
import { ORDER_SERVICE } from './service';

void runMigrationCli(ORDER_SERVICE, ORDER_SCHEMA);
