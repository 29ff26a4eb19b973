export * from './auth.errors';
export * from './auth.module';
export * from './platform-principal';
export * from './scopes';
export * from './token-verifier';
