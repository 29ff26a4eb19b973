import { Module } from '@nestjs/common';
import { PlatformModule } from '@fapiao/platform/service';
import { INVOICE_SCHEMA } from './schema';
import { INVOICE_SERVICE } from './service';

@Module({
  imports: [
    PlatformModule.forService({ service: INVOICE_SERVICE, schema: INVOICE_SCHEMA, kafka: true, auth: true }),
  ],
})
export class AppModule {}
