export * from './interruptible-sleep';
export * from './token-bucket';
