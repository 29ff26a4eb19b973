export * from './dev-broker';
export * from './suite';
export * from './tcp-proxy';
