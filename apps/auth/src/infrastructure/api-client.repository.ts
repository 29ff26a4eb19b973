import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiClientEntity } from './api-client.entity';

/** The port (an abstract class, also the DI token) and its TypeORM adapter. */
export abstract class ApiClientRepository {
  abstract findActive(clientId: string): Promise<ApiClientEntity | null>;
  abstract save(client: ApiClientEntity): Promise<ApiClientEntity>;
}

@Injectable()
export class TypeOrmApiClientRepository implements ApiClientRepository {
  constructor(@InjectRepository(ApiClientEntity) private readonly clients: Repository<ApiClientEntity>) {}
  async findActive(clientId: string) {
    const client = await this.clients.findOneBy({ clientId });
    return client && !client.revokedAt ? client : null;
  }
  save(client: ApiClientEntity) {
    return this.clients.save(client);
  }
}
