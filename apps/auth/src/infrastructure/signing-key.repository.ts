import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { SigningKeyEntity } from './signing-key.entity';

/** The port (an abstract class, also the DI token) and its TypeORM adapter. */
export abstract class SigningKeyRepository {
  abstract findPublished(): Promise<SigningKeyEntity[]>;
  abstract findByKid(kid: string): Promise<SigningKeyEntity | null>;
  /** Makes `key` the only active key; the previous active key stays published as verify_only. */
  abstract activate(key: SigningKeyEntity): Promise<void>;
  abstract retire(kid: string): Promise<void>;
  /** Runs `work` holding the signing keys' cluster-wide lock (waits up to 30 s for it). */
  abstract whileLocked<T>(work: () => Promise<T>): Promise<T>;
}

@Injectable()
export class TypeOrmSigningKeyRepository implements SigningKeyRepository {
  constructor(
    @InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {}

  findPublished() {
    return this.keys.find({ where: { status: In(['active', 'verify_only']) }, order: { createdAt: 'DESC' } });
  }

  findByKid(kid: string) {
    return this.keys.findOneBy({ kid });
  }

  activate(key: SigningKeyEntity): Promise<void> {
    return this.unitOfWork.run(async () => {
      const manager = this.unitOfWork.transactional('SigningKeyRepository.activate');
      await manager.update(SigningKeyEntity, { status: 'active' }, { status: 'verify_only' });
      key.status = 'active';
      await manager.save(key);
    });
  }

  async retire(kid: string): Promise<void> {
    await this.keys.update({ kid }, { status: 'retired', retiredAt: new Date() });
  }

  /** A named MySQL lock, held by one connection of the pool for as long as `work` runs. */
  async whileLocked<T>(work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query("SELECT GET_LOCK('fapiao_auth_signing_keys', 30)");
      return await work();
    } finally {
      await runner.query("SELECT RELEASE_LOCK('fapiao_auth_signing_keys')").catch(() => undefined);
      await runner.release();
    }
  }
}
