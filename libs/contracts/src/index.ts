export * from './authority';
export * from './envelope';
export * from './errors';
export * from './http';
export * from './kafka-acls';
export * from './messages';
export * from './primitives';
export * from './topics';
