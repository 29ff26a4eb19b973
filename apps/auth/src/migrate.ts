import { runMigrationCli } from '@fapiao/platform/persistence';
import { AUTH_SCHEMA } from './schema';
import { AUTH_SERVICE } from './service';

void runMigrationCli(AUTH_SERVICE, AUTH_SCHEMA);
