import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('api_clients')
export class ApiClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  /** null: a platform client (platform administrator, service clients), created at install. */
  @Index()
  @Column({ name: 'tenant_id', type: 'char', length: 36, nullable: true })
  tenantId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** scrypt hash; the secret itself is never stored. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 255 })
  secretHash: string;

  /** The secret before the last rotation, accepted until previousSecretExpiresAt. */
  @Column({ name: 'previous_secret_hash', type: 'varchar', length: 255, nullable: true })
  previousSecretHash: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'datetime', precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ type: 'simple-json' })
  scopes: string[];

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Index()
  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
