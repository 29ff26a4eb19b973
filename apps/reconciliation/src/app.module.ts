import { Module } from '@nestjs/common';
import { PlatformModule } from '@fapiao/platform/service';
import { RECONCILIATION_SCHEMA } from './schema';
import { RECONCILIATION_SERVICE } from './service';

@Module({
  imports: [
    PlatformModule.forService({
      service: RECONCILIATION_SERVICE,
      schema: RECONCILIATION_SCHEMA,
      kafka: true,
      auth: true,
    }),
  ],
})
export class AppModule {}
