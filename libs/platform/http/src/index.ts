export * from './error-filter';
export * from './principal';
export * from './public.decorator';
export * from './zod-validation.pipe';
export * from './openapi';
export * from './idempotency-key';
