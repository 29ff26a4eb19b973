export * from './config.module';
export * from './define-config';
export * from './service-config';
