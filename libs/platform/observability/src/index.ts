export * from './attributes';
export * from './logging.module';
export * from './redaction';
export * from './metrics';
export * from './metrics-server';
export * from './telemetry-lifecycle';
export * from './trace-response';
