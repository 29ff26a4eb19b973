export * from './database';
export * from './kafka-control';
export * from './suite';
export * from './tcp-proxy';
export * from './kafka';
export * from './api';
export * from './jaeger';
export * from './clock';
