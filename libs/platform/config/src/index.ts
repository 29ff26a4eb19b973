export * from './config.module';
export * from './define-config';
export * from './secret';
export * from './service-config';
