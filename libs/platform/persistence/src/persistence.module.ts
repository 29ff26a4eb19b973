import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DATABASE_CONFIG, type DatabaseConfig } from '@fapiao/platform/config';
import { dataSourceOptions, type SchemaDefinition } from './data-source-options';
import { GroupCommit } from './group-commit';
import { UnitOfWork } from './unit-of-work';

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(schema: SchemaDefinition): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [DATABASE_CONFIG],
          useFactory: (config: DatabaseConfig) => ({
            ...dataSourceOptions(config, schema),
            // Boot waits up to a minute for the database, then fails so the orchestrator restarts it.
            retryAttempts: 30,
            retryDelay: 2_000,
          }),
        }),
      ],
      providers: [UnitOfWork, GroupCommit],
      exports: [UnitOfWork, GroupCommit],
    };
  }
}
