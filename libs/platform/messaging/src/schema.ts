import { DeadLetterEntity, DeadLetterRedriveEntity } from './dead-letters/dead-letter.entity';
import { DeadLetterTables1763700000102 } from './dead-letters/dead-letter-tables.migration';
import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { MessagingTables1763700000100 } from './messaging-tables.migration';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
import { InboxProcessedIndex1763700000101 } from './retention/inbox-processed-index.migration';

/** Add to a service's schema definition to get the outbox, inbox and dead-letter tables. */
export const MESSAGING_SCHEMA = {
  entities: [OutboxMessageEntity, InboxMessageEntity, DeadLetterEntity, DeadLetterRedriveEntity],
  migrations: [MessagingTables1763700000100, InboxProcessedIndex1763700000101, DeadLetterTables1763700000102],
};
