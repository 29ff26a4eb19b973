import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity';

/** The port (an abstract class, also the DI token) and its TypeORM adapter. */
export abstract class SigningKeyRepository {
  abstract findPublished(): Promise<SigningKeyEntity[]>;
  abstract findByKid(kid: string): Promise<SigningKeyEntity | null>;
  /** Makes `key` the only active key; the previous active key stays published as verify_only. */
  abstract activate(key: SigningKeyEntity): Promise<void>;
  abstract retire(kid: string): Promise<void>;
}

@Injectable()
export class TypeOrmSigningKeyRepository implements SigningKeyRepository {
  constructor(@InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>) {}

  findPublished() {
    return this.keys.find({ where: { status: In(['active', 'verify_only']) }, order: { createdAt: 'DESC' } });
  }

  findByKid(kid: string) {
    return this.keys.findOneBy({ kid });
  }

  async activate(key: SigningKeyEntity): Promise<void> {
    await this.keys.manager.transaction(async (manager) => {
      await manager.update(SigningKeyEntity, { status: 'active' }, { status: 'verify_only' });
      key.status = 'active';
      await manager.save(key);
    });
  }

  async retire(kid: string): Promise<void> {
    await this.keys.update({ kid }, { status: 'retired', retiredAt: new Date() });
  }
}
