export * from './interruptible-sleep';
export * from './token-bucket';
export * from './background-worker';
export * from './clock';
