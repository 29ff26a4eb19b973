export * from './interruptible-sleep';
