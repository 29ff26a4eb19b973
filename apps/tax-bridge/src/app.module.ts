import { Module } from '@nestjs/common';
import { PlatformModule } from '@fapiao/platform/service';
import { TAX_BRIDGE_SCHEMA } from './schema';
import { TAX_BRIDGE_SERVICE } from './service';

@Module({
  imports: [
    PlatformModule.forService({
      service: TAX_BRIDGE_SERVICE,
      schema: TAX_BRIDGE_SCHEMA,
      kafka: true,
      auth: true,
    }),
  ],
})
export class AppModule {}
