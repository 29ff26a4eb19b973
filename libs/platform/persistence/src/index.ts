export * from './data-source-options';
export * from './database.readiness';
export * from './driver-errors';
export * from './migrate';
export * from './persistence.module';
export * from './versioned-update';
export * from './unit-of-work';
export * from './leader-lock';
