import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type FindOptionsWhere,
  LessThan,
  MoreThanOrEqual,
  And,
  In,
} from 'typeorm';
import { insertRows, isLostLockRace } from '@fapiao/platform/persistence';
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
  insertInvoice(invoice: IssuedInvoiceEntity): Promise<void>;
  /** One multi-row INSERT; fails whole (duplicate serial) if a concurrent request issued one of them. */
  insertInvoices(invoices: IssuedInvoiceEntity[]): Promise<void>;
  saveInvoice(invoice: IssuedInvoiceEntity): Promise<void>;
  saveForm(form: RedLetterForm): Promise<void>;
}

/** Port (and DI token) over the authority's records. */
export abstract class SimRepository {
  abstract invoiceBySerial(serial: string): Promise<IssuedInvoiceEntity | null>;
  /** The invoices issued under any of these serials, in one query. */
  abstract invoicesBySerials(serials: string[]): Promise<IssuedInvoiceEntity[]>;
  abstract invoiceByNumber(number: string): Promise<IssuedInvoiceEntity | null>;
  abstract listInvoices(filter: InvoiceFilter): Promise<{ items: IssuedInvoiceEntity[]; total: number }>;
  abstract formById(id: string): Promise<RedLetterForm | null>;
  abstract formBySerial(serial: string): Promise<RedLetterForm | null>;
  abstract formsForBlue(blueNumber: string): Promise<RedLetterForm[]>;
  /**
   * Reserves the next `size` sequence numbers of `prefix` durably, in one autocommitted statement outside
   * any transaction (so the row is locked for that statement only), and returns the last of them.
   */
  abstract reserveNumbers(prefix: string, size: number): Promise<bigint>;
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

  invoicesBySerials(serials: string[]) {
    if (serials.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(IssuedInvoiceEntity).findBy({ serial: In(serials) });
  }

  async reserveNumbers(prefix: string, size: number): Promise<bigint> {
    // LAST_INSERT_ID(expr) makes the new value the statement's insert id: the block comes back in the
    // same round trip, with no SELECT and no transaction around it.
    const result = (await this.dataSource.query(
      `INSERT INTO number_sequences (prefix, last_value) VALUES (?, LAST_INSERT_ID(?))
       ON DUPLICATE KEY UPDATE last_value = LAST_INSERT_ID(last_value + ?)`,
      [prefix, size, size],
    )) as { insertId?: number | string | bigint };
    if (result.insertId === undefined) throw new Error('number_sequences: no insert id came back');
    return BigInt(result.insertId);
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

  async insertInvoice(invoice: IssuedInvoiceEntity) {
    await this.manager.insert(IssuedInvoiceEntity, invoice);
  }

  async insertInvoices(invoices: IssuedInvoiceEntity[]) {
    await insertRows(this.manager, IssuedInvoiceEntity, invoices);
  }

  async saveInvoice(invoice: IssuedInvoiceEntity) {
    await this.manager.save(invoice);
  }

  async saveForm(form: RedLetterForm) {
    await this.manager.save(toRedLetterFormEntity(form));
  }
}
