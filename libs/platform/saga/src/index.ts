export * from './declared-saga';
export * from './saga.config';
export * from './saga.engine';
export * from './saga.errors';
export * from './saga.module';
export * from './saga.timer';
export * from './saga.types';
export * from './schema';
