export * from './attributes';
export * from './logging.module';
export * from './metrics';
export * from './telemetry-lifecycle';
export * from './trace-response';
