import { SubmissionRepository } from '../domain/submission.repository';
import { SubmissionEntity } from './submission.entity';
import { TypeOrmSubmissionRepository } from './typeorm-submission.repository';

/** tax-bridge's tables and the adapters bound to its repository ports. */
export const TAX_BRIDGE_ENTITIES = [SubmissionEntity];

export const TAX_BRIDGE_REPOSITORIES = [
  { provide: SubmissionRepository, useClass: TypeOrmSubmissionRepository },
];
