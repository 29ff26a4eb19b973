import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { NamespacedConfig } from './define-config';
import {
  appConfig,
  authVerifyConfig,
  databaseConfig,
  kafkaConfig,
  type ServiceIdentity,
} from './service-config';

export const SERVICE_IDENTITY = 'fapiao:service-identity';
export const APP_CONFIG = 'fapiao:config:app';
export const DATABASE_CONFIG = 'fapiao:config:database';
export const KAFKA_CONFIG = 'fapiao:config:kafka';
export const AUTH_VERIFY_CONFIG = 'fapiao:config:auth-verify';

export interface ConfigNeeds {
  database?: boolean;
  kafka?: boolean;
  authVerify?: boolean;
}

/**
 * Validates every namespace a service needs while the app is being created, so a bad variable stops
 * the boot with a ConfigValidationError before any connection is attempted.
 */
@Global()
@Module({})
export class ServiceConfigModule {
  static forService(service: ServiceIdentity, needs: ConfigNeeds): DynamicModule {
    // Defined here, at import time, so validateDefinedConfigs() sees them before the app is created.
    const configs: [string, NamespacedConfig<unknown>][] = [[APP_CONFIG, appConfig(service)]];
    if (needs.database) configs.push([DATABASE_CONFIG, databaseConfig(service)]);
    if (needs.kafka) configs.push([KAFKA_CONFIG, kafkaConfig(service)]);
    if (needs.authVerify) configs.push([AUTH_VERIFY_CONFIG, authVerifyConfig]);
    const providers: Provider[] = [
      { provide: SERVICE_IDENTITY, useValue: service },
      ...configs.map(([token, config]) => ({ provide: token, useFactory: () => config.read() })),
    ];
    return { module: ServiceConfigModule, providers, exports: providers };
  }
}
