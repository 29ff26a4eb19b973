import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `active` signs (exactly one); `verify_only` is still published in the JWKS; `retired` is not. */
export type SigningKeyStatus = 'active' | 'verify_only' | 'retired';

@Entity('signing_keys')
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 16 })
  status: SigningKeyStatus;

  @Column({ name: 'public_jwk', type: 'simple-json' })
  publicJwk: Record<string, unknown>;

  /** PKCS#8 private key encrypted with the key-encryption key (AES-256-GCM). */
  @Column({ name: 'private_key_enc', type: 'text' })
  privateKeyEncrypted: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'retired_at', type: 'datetime', precision: 3, nullable: true })
  retiredAt: Date | null;
}
