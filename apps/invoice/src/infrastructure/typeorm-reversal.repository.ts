import { Injectable } from '@nestjs/common';
import { insertRows, updateVersioned, UnitOfWork } from '@fapiao/platform/persistence';
import type { Reversal } from '../domain/reversal';
import { ReversalErrors } from '../domain/reversal.errors';
import { ReversalRepository } from '../domain/reversal.repository';
import { ReversalMapper } from './reversal.mapper';
import { ReversalEntity } from './reversal.entity';

@Injectable()
export class TypeOrmReversalRepository implements ReversalRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async findById(tenantId: string, id: string) {
    const row = await this.unitOfWork.manager().findOneBy(ReversalEntity, { tenantId, id });
    return row && ReversalMapper.toDomain(row);
  }

  async findByIdempotencyKey(tenantId: string, key: string) {
    const row = await this.unitOfWork.manager().findOneBy(ReversalEntity, { tenantId, idempotencyKey: key });
    return row && ReversalMapper.toDomain(row);
  }

  async listForInvoice(invoiceId: string) {
    const rows = await this.unitOfWork.manager().find(ReversalEntity, {
      where: { invoiceId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map((row) => ReversalMapper.toDomain(row));
  }

  async add(reversal: Reversal) {
    const state = reversal.snapshot();
    await insertRows(this.unitOfWork.transactional('ReversalRepository.add'), ReversalEntity, [
      ReversalMapper.toRow(state),
    ]);
    reversal.saved(state.version);
  }

  async save(reversal: Reversal) {
    if (!reversal.changed) return;
    const state = reversal.snapshot();
    const row = { id: state.id, version: state.version };
    const manager = this.unitOfWork.transactional('ReversalRepository.save');
    if (!(await updateVersioned(manager, ReversalEntity, row, ReversalMapper.toChange(state))))
      throw ReversalErrors.concurrentUpdate(reversal.id);
    reversal.saved(row.version);
  }
}
