import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SagaState } from './saga.types';

/** One saga's current state; changed only by version-checked updates (see SagaStore.apply). */
@Entity('saga_instances')
@Index('idx_saga_due', ['state', 'deadlineAt'])
@Index('idx_saga_tenant_state', ['tenantId', 'state', 'updatedAt'])
@Index('idx_saga_tenant_correlation', ['tenantId', 'correlationId'])
export class SagaInstanceEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 100 })
  correlationId: string;

  @Column({ type: 'varchar', length: 20 })
  state: SagaState;

  @Column({ type: 'varchar', length: 100 })
  step: string;

  /** JSON. */
  @Column({ type: 'longtext' })
  data: string;

  @Column({ name: 'deadline_at', type: 'datetime', precision: 3, nullable: true })
  deadlineAt: Date | null;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'int' })
  version: number;

  /** JSON array, top of the stack last. */
  @Column({ type: 'longtext' })
  compensations: string;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: Date | null;
}
