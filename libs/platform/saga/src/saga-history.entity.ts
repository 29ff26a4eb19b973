import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SagaEvent, SagaState } from './saga.types';

/** Append-only: one row per transition, written in the transition's transaction; seq = saga version. */
@Entity('saga_history')
export class SagaHistoryEntity {
  @PrimaryColumn({ name: 'saga_id', type: 'varchar', length: 100 })
  sagaId: string;

  @PrimaryColumn({ type: 'int' })
  seq: number;

  @Column({ type: 'datetime', precision: 3 })
  at: Date;

  @Column({ name: 'from_state', type: 'varchar', length: 20, nullable: true })
  fromState: SagaState | null;

  @Column({ name: 'to_state', type: 'varchar', length: 20 })
  toState: SagaState;

  @Column({ type: 'varchar', length: 100 })
  step: string;

  @Column({ type: 'varchar', length: 40 })
  event: SagaEvent;

  @Column({ type: 'text', nullable: true })
  detail: string | null;
}
