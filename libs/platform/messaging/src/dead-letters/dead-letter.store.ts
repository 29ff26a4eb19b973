import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { retryTopic, type BaseTopic } from '@fapiao/contracts';
import { insertRows, isRejectedValue, UnitOfWork } from '@fapiao/platform/persistence';
import { OutboxWriter } from '../outbox/outbox-writer';
import { DeadLetterEntity, DeadLetterRedriveEntity, type DeadLetterState } from './dead-letter.entity';
import { identify, redriveHeaders } from './dead-letter.model';
import { deadLettersRecorded, deadLettersRedriven } from './dead-letter.metrics';

/** A delivery the consumer runner dead-lettered. */
export interface DeadLetterInput {
  consumerGroup: string;
  topic: BaseTopic;
  sourceTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  errorCode: string;
  errorReason: string;
}

/** What selects dead letters. `tenantId` undefined: every tenant (platform operators only). */
export interface DeadLetterFilter {
  topic?: string;
  errorCode?: string;
  tenantId?: string;
  from?: string;
  to?: string;
  ids?: string[];
}

/** Who redrives: the token's client and tenant. */
export interface Operator {
  clientId: string;
  tenantId: string;
}

export interface RedriveOutcome {
  redrive: DeadLetterRedriveEntity | null;
  items: DeadLetterEntity[];
}

/**
 * The service's dead letters: recorded by the consumer runner as it writes them to `.dlq`, listed and
 * redriven by operators. A redrive puts each message back on its `.retry` topic through the outbox, in the
 * transaction that marks it REDRIVEN and writes the audit record: all of it happens, or none. The copy keeps
 * the envelope (its id included) and the key, so the consumer group's inbox still runs it at most once.
 */
@Injectable()
export class DeadLetterStore {
  private readonly logger = new Logger(DeadLetterStore.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Idempotent per delivery: the same failed delivery dead-lettered again (after a crash) is kept once. A
   * row the database refuses is logged and left to the `.dlq` alone: a dead letter must never stall its
   * partition. Any other failure (the database is down) is thrown: the message is handled again later.
   */
  async record(input: DeadLetterInput): Promise<void> {
    try {
      await this.insert(input);
    } catch (error) {
      if (!isRejectedValue(error)) throw error;
      this.logger.warn(
        `dead letter of ${input.sourceTopic}/${input.partition}@${input.offset} not recorded (only in .dlq): ${String(error)}`,
      );
    }
  }

  private async insert(input: DeadLetterInput): Promise<void> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(DeadLetterEntity)
      .values({
        id: uuidv7(),
        consumerGroup: input.consumerGroup,
        topic: input.topic,
        sourceTopic: input.sourceTopic,
        sourcePartition: input.partition,
        sourceOffset: input.offset,
        ...identify(input.value),
        messageKey: input.key && input.key.length <= 200 ? input.key : null,
        errorCode: input.errorCode.slice(0, 100),
        errorReason: input.errorReason.slice(0, 1_000),
        headers: input.headers,
        value: input.value,
        deadLetteredAt: new Date(),
        state: 'DEAD',
        redriveId: null,
        redrivenAt: null,
      })
      .orIgnore()
      .updateEntity(false)
      .execute();
    const inserted = (result.raw as { affectedRows?: number }).affectedRows ?? 0;
    if (inserted > 0) deadLettersRecorded.inc({ topic: input.topic, code: input.errorCode.slice(0, 100) });
  }

  async list(
    filter: DeadLetterFilter,
    state: DeadLetterState | 'all',
    page: number,
    pageSize: number,
  ): Promise<{ items: DeadLetterEntity[]; total: number }> {
    const query = this.select(filter);
    if (state !== 'all') query.andWhere('d.state = :state', { state });
    const [items, total] = await query
      .orderBy('d.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /** One dead letter, within `tenantId` when given (another tenant's is not found). */
  async find(id: string, tenantId: string | undefined): Promise<DeadLetterEntity | null> {
    return this.select({ tenantId }).andWhere('d.id = :id', { id }).getOne();
  }

  async findRedrive(id: string): Promise<DeadLetterRedriveEntity | null> {
    return this.dataSource.getRepository(DeadLetterRedriveEntity).findOneBy({ id });
  }

  /** Audit records, newest first; `clientTenantId` undefined: every tenant's. */
  async listRedrives(
    clientTenantId: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<{ items: DeadLetterRedriveEntity[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(DeadLetterRedriveEntity).findAndCount({
      where: clientTenantId === undefined ? {} : { clientTenantId },
      order: { redrivenAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total };
  }

  /**
   * Redrives up to `limit` waiting dead letters matching `filter`, oldest first. Only envelopes are redriven
   * (a value that is no envelope has no id to keep it exactly-once, and would fail the same way again). The
   * rows are locked, so two concurrent redrives never send one dead letter twice; one already REDRIVEN is
   * never selected again. A dry run reads the same rows without locking and changes nothing.
   */
  async redrive(
    filter: DeadLetterFilter,
    limit: number,
    operator: Operator,
    dryRun: boolean,
  ): Promise<RedriveOutcome> {
    const waiting = () =>
      this.select(filter, this.unitOfWork.manager().getRepository(DeadLetterEntity))
        .andWhere("d.state = 'DEAD'")
        .andWhere('d.message_id IS NOT NULL')
        .orderBy('d.id', 'ASC')
        .limit(limit);
    if (dryRun) return { redrive: null, items: await waiting().getMany() };
    return this.unitOfWork.run(async () => {
      const items = await waiting().setLock('pessimistic_write').getMany();
      if (items.length === 0) return { redrive: null, items };
      const manager = this.unitOfWork.transactional('DeadLetterStore.redrive');
      const now = new Date();
      const redrive = manager.create(DeadLetterRedriveEntity, {
        id: uuidv7(),
        clientId: operator.clientId,
        clientTenantId: operator.tenantId,
        filter: { ...filter, limit },
        deadLetterIds: items.map((item) => item.id),
        messageIds: items.map((item) => item.messageId as string),
        count: items.length,
        redrivenAt: now,
      });
      for (const item of items) {
        this.outbox.forward({
          topic: retryTopic(item.topic as BaseTopic),
          key: item.messageKey ?? '',
          value: item.value,
          headers: redriveHeaders(item.headers, item.consumerGroup, redrive.id),
        });
        item.state = 'REDRIVEN';
        item.redriveId = redrive.id;
        item.redrivenAt = now;
      }
      await manager
        .createQueryBuilder()
        .update(DeadLetterEntity)
        .set({ state: 'REDRIVEN', redriveId: redrive.id, redrivenAt: now })
        .whereInIds(items.map((item) => item.id))
        .andWhere("state = 'DEAD'")
        .execute();
      await insertRows(manager, DeadLetterRedriveEntity, [redrive]);
      this.unitOfWork.afterCommit(() => {
        for (const item of items) deadLettersRedriven.inc({ topic: item.topic });
      });
      return { redrive, items };
    });
  }

  private select(
    filter: DeadLetterFilter,
    repository = this.dataSource.getRepository(DeadLetterEntity),
  ): SelectQueryBuilder<DeadLetterEntity> {
    const query = repository.createQueryBuilder('d').where('1 = 1');
    if (filter.tenantId !== undefined)
      query.andWhere('d.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.topic !== undefined) query.andWhere('d.topic = :topic', { topic: filter.topic });
    if (filter.errorCode !== undefined)
      query.andWhere('d.error_code = :errorCode', { errorCode: filter.errorCode });
    if (filter.from !== undefined)
      query.andWhere('d.dead_lettered_at >= :from', { from: new Date(filter.from) });
    if (filter.to !== undefined) query.andWhere('d.dead_lettered_at < :to', { to: new Date(filter.to) });
    if (filter.ids !== undefined) query.andWhere('d.id IN (:...ids)', { ids: filter.ids });
    return query;
  }
}
