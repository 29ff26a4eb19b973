export * from './platform.module';
export * from './run-service';
export * from './openapi-document';
