export * from './health.module';
export * from './health.service';
export * from './lifecycle.service';
export * from './readiness';
