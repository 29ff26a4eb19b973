import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type FindOptionsWhere,
  LessThan,
  MoreThanOrEqual,
  And,
} from 'typeorm';
import { isLostLockRace } from '@fapiao/platform/persistence';
import type { RedLetterForm } from '../domain/red-letter';
import { IssuedInvoiceEntity } from './issued-invoice.entity';
import { toRedLetterForm, toRedLetterFormEntity } from './mappers';
import { RedLetterFormEntity } from './red-letter-form.entity';

export interface InvoiceFilter {
  sellerTaxId: string;
  kind?: 'blue' | 'red';
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** Work inside one transaction: rows read through `lock*` stay locked until it commits. */
export interface SimTransaction {
  lockInvoice(number: string): Promise<IssuedInvoiceEntity | null>;
  lockForm(id: string): Promise<RedLetterForm | null>;
  /** Call with the blue invoice locked, so no other form or red invoice for it appears meanwhile. */
  formsForBlue(blueNumber: string): Promise<RedLetterForm[]>;
  redInvoicesOf(blueNumber: string): Promise<IssuedInvoiceEntity[]>;
  /** The next value of a number prefix's sequence; it rolls back with the transaction, so numbers have no gaps. */
  nextSequence(prefix: string): Promise<bigint>;
  insertInvoice(invoice: IssuedInvoiceEntity): Promise<void>;
  saveInvoice(invoice: IssuedInvoiceEntity): Promise<void>;
  saveForm(form: RedLetterForm): Promise<void>;
}

/** Port (and DI token) over the authority's records. */
export abstract class SimRepository {
  abstract invoiceBySerial(serial: string): Promise<IssuedInvoiceEntity | null>;
  abstract invoiceByNumber(number: string): Promise<IssuedInvoiceEntity | null>;
  abstract listInvoices(filter: InvoiceFilter): Promise<{ items: IssuedInvoiceEntity[]; total: number }>;
  abstract formById(id: string): Promise<RedLetterForm | null>;
  abstract formBySerial(serial: string): Promise<RedLetterForm | null>;
  abstract formsForBlue(blueNumber: string): Promise<RedLetterForm[]>;
  /** Runs `work` in one transaction, again (up to three times in all) when it loses a deadlock. */
  abstract transaction<T>(work: (tx: SimTransaction) => Promise<T>): Promise<T>;
}

const MAX_ATTEMPTS = 3;

@Injectable()
export class TypeOrmSimRepository implements SimRepository {
  constructor(private readonly dataSource: DataSource) {}

  invoiceBySerial(serial: string) {
    return this.dataSource.getRepository(IssuedInvoiceEntity).findOneBy({ serial });
  }

  invoiceByNumber(number: string) {
    return this.dataSource.getRepository(IssuedInvoiceEntity).findOneBy({ number });
  }

  async listInvoices(filter: InvoiceFilter) {
    const where: FindOptionsWhere<IssuedInvoiceEntity> = { sellerTaxId: filter.sellerTaxId };
    if (filter.kind) where.kind = filter.kind;
    if (filter.from && filter.to) where.issuedAt = And(MoreThanOrEqual(filter.from), LessThan(filter.to));
    else if (filter.from) where.issuedAt = MoreThanOrEqual(filter.from);
    else if (filter.to) where.issuedAt = LessThan(filter.to);
    const [items, total] = await this.dataSource.getRepository(IssuedInvoiceEntity).findAndCount({
      where,
      order: { issuedAt: 'ASC', number: 'ASC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, total };
  }

  async formById(id: string) {
    const entity = await this.dataSource.getRepository(RedLetterFormEntity).findOneBy({ id });
    return entity && toRedLetterForm(entity);
  }

  async formBySerial(serial: string) {
    const entity = await this.dataSource.getRepository(RedLetterFormEntity).findOneBy({ serial });
    return entity && toRedLetterForm(entity);
  }

  async formsForBlue(blueNumber: string) {
    const entities = await this.dataSource
      .getRepository(RedLetterFormEntity)
      .find({ where: { blueNumber }, order: { raisedAt: 'ASC' } });
    return entities.map(toRedLetterForm);
  }

  async transaction<T>(work: (tx: SimTransaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => work(new TypeOrmSimTransaction(manager)));
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isLostLockRace(error)) throw error;
      }
    }
  }
}

class TypeOrmSimTransaction implements SimTransaction {
  constructor(private readonly manager: EntityManager) {}

  lockInvoice(number: string) {
    return this.manager
      .getRepository(IssuedInvoiceEntity)
      .findOne({ where: { number }, lock: { mode: 'pessimistic_write' } });
  }

  async lockForm(id: string) {
    const entity = await this.manager
      .getRepository(RedLetterFormEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return entity && toRedLetterForm(entity);
  }

  async formsForBlue(blueNumber: string) {
    const entities = await this.manager
      .getRepository(RedLetterFormEntity)
      .find({ where: { blueNumber }, order: { raisedAt: 'ASC' } });
    return entities.map(toRedLetterForm);
  }

  redInvoicesOf(blueNumber: string) {
    return this.manager
      .getRepository(IssuedInvoiceEntity)
      .findBy({ originalNumber: blueNumber, kind: 'red' });
  }

  async nextSequence(prefix: string): Promise<bigint> {
    // LAST_INSERT_ID(expr) hands the new value back on this connection: one round trip, and the row lock
    // serializes concurrent issuers (across replicas too) until the issuing transaction ends.
    await this.manager.query(
      `INSERT INTO number_sequences (prefix, last_value) VALUES (?, LAST_INSERT_ID(1))
       ON DUPLICATE KEY UPDATE last_value = LAST_INSERT_ID(last_value + 1)`,
      [prefix],
    );
    const [row] = (await this.manager.query('SELECT LAST_INSERT_ID() AS value')) as {
      value: string | number;
    }[];
    return BigInt(row.value);
  }

  async insertInvoice(invoice: IssuedInvoiceEntity) {
    await this.manager.insert(IssuedInvoiceEntity, invoice);
  }

  async saveInvoice(invoice: IssuedInvoiceEntity) {
    await this.manager.save(invoice);
  }

  async saveForm(form: RedLetterForm) {
    await this.manager.save(toRedLetterFormEntity(form));
  }
}
