import { Module } from '@nestjs/common';
import { DeadLetterRedrivesController, DeadLettersController } from './dead-letters.controller';

/**
 * The operator API of a consuming service's dead letters. The store comes from MessagingModule (the consumer
 * runner records through it); the tables come with MESSAGING_SCHEMA.
 */
@Module({ controllers: [DeadLettersController, DeadLetterRedrivesController] })
export class DeadLettersModule {}
