import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from './auth.config';
import { SigningKeyErrors } from './domain/auth.errors';
import { KeyCipher } from './infrastructure/key-cipher';
import { SigningKeyRepository } from './infrastructure/signing-key.repository';
import { SigningKeyEntity } from './infrastructure/signing-key.entity';

export interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/**
 * Owns RS256 signing keys: creates the first one, rotates (the new key signs, old keys keep verifying
 * until retired) and serves the active key to the token issuer. Replicas pick up a rotation made by
 * another replica within AUTH_KEY_REFRESH_MS.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeysService.name);
  private readonly cipher: KeyCipher;
  private cached?: { key: ActiveKey; loadedAt: number };

  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly keys: SigningKeyRepository,
  ) {
    this.cipher = new KeyCipher(config.keyEncryptionKey);
  }

  async onModuleInit(): Promise<void> {
    // Two replicas starting on an empty database must not both create a first key.
    await this.keys.whileLocked(async () => {
      const published = await this.keys.findPublished();
      if (!published.some((key) => key.status === 'active')) {
        const kid = await this.rotate();
        this.logger.log(`created the first signing key ${kid}`);
      }
      await this.activeKey().catch((error: unknown) => {
        // A wrong AUTH_KEY_ENCRYPTION_KEY must stop the boot, not surface as failing token requests.
        throw new Error(`AUTH_KEY_ENCRYPTION_KEY cannot decrypt the active signing key: ${String(error)}`);
      });
    });
  }

  async activeKey(): Promise<ActiveKey> {
    if (this.cached && Date.now() - this.cached.loadedAt < this.config.keyRefreshMs) return this.cached.key;
    const active = (await this.keys.findPublished()).find((key) => key.status === 'active');
    if (!active) throw new Error('no active signing key');
    const privateKey = await importPKCS8(this.cipher.decrypt(active.privateKeyEncrypted), 'RS256');
    this.cached = { key: { kid: active.kid, privateKey }, loadedAt: Date.now() };
    return this.cached.key;
  }

  /** The JWKS: every key that may still have signed an unexpired token. */
  async publicKeys(): Promise<JWK[]> {
    return (await this.keys.findPublished()).map((key) => key.publicJwk as JWK);
  }

  async rotate(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const kid = randomUUID();
    const key = new SigningKeyEntity();
    key.kid = kid;
    key.publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    key.privateKeyEncrypted = this.cipher.encrypt(await exportPKCS8(privateKey));
    key.retiredAt = null;
    await this.keys.activate(key);
    this.cached = undefined;
    return kid;
  }

  async retire(kid: string): Promise<void> {
    const key = await this.keys.findByKid(kid);
    if (!key) throw SigningKeyErrors.notFound(kid);
    if (key.status === 'active') throw SigningKeyErrors.activeKeyCannotRetire(kid);
    await this.keys.retire(kid);
  }
}
