export * from './inbox/inbox-message.entity';
export * from './kafka-client';
export * from './kafka.readiness';
export * from './outbox/outbox-message.entity';
export * from './schema';
