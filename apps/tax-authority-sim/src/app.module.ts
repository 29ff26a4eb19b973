import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule } from '@fapiao/platform/service';
import { SIM_ENTITIES, SIM_SCHEMA } from './schema';
import { SIM_SERVICE } from './service';

/** Stands in for the tax authority: no Kafka, and its own authentication model rather than our JWTs. */
@Module({
  imports: [
    PlatformModule.forService({ service: SIM_SERVICE, schema: SIM_SCHEMA, kafka: false, auth: false }),
    TypeOrmModule.forFeature(SIM_ENTITIES),
  ],
})
export class AppModule {}
