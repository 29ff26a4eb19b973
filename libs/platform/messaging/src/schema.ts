import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { MessagingTables1763700000100 } from './messaging-tables.migration';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
import { InboxProcessedIndex1763700000101 } from './retention/inbox-processed-index.migration';

/** Add to a service's schema definition to get the outbox and inbox tables. */
export const MESSAGING_SCHEMA = {
  entities: [OutboxMessageEntity, InboxMessageEntity],
  migrations: [MessagingTables1763700000100, InboxProcessedIndex1763700000101],
};
