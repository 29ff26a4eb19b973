export * from './database';
export * from './dev-broker';
export * from './suite';
export * from './tcp-proxy';
export * from './kafka';
export * from './api';
export * from './otlp-receiver';
