import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { ApiClientEntity } from './api-client.entity';

/** The port (an abstract class, also the DI token) and its TypeORM adapter. */
export abstract class ApiClientRepository {
  abstract findActive(clientId: string): Promise<ApiClientEntity | null>;
  /** Revoked ones too (lifecycle operations answer "revoked", not "not found"). */
  abstract findById(clientId: string): Promise<ApiClientEntity | null>;
  abstract listByTenant(tenantId: string): Promise<ApiClientEntity[]>;
  abstract revokedSince(since: Date): Promise<Pick<ApiClientEntity, 'clientId' | 'revokedAt'>[]>;
  abstract save(client: ApiClientEntity): Promise<ApiClientEntity>;
  /** Inserts or overwrites by client id in one statement (replicas booting together). */
  abstract upsert(client: ApiClientEntity): Promise<void>;
}

@Injectable()
export class TypeOrmApiClientRepository implements ApiClientRepository {
  constructor(@InjectRepository(ApiClientEntity) private readonly clients: Repository<ApiClientEntity>) {}
  async findActive(clientId: string) {
    const client = await this.clients.findOneBy({ clientId });
    return client && !client.revokedAt ? client : null;
  }
  findById(clientId: string) {
    return this.clients.findOneBy({ clientId });
  }
  listByTenant(tenantId: string) {
    return this.clients.find({ where: { tenantId }, order: { createdAt: 'ASC', clientId: 'ASC' } });
  }
  revokedSince(since: Date) {
    return this.clients.find({
      select: { clientId: true, revokedAt: true },
      where: { revokedAt: MoreThan(since) },
    });
  }
  save(client: ApiClientEntity) {
    return this.clients.save(client);
  }
  async upsert(client: ApiClientEntity) {
    await this.clients.upsert(client, ['clientId']);
  }
}
