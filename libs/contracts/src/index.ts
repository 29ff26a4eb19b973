export * from './errors';
export * from './topics';
