export * from './auth.errors';
export * from './auth.module';
export * from './scopes';
export * from './token-verifier';
