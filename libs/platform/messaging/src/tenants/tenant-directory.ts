import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { defineConfig, env, Secret } from '@fapiao/platform/config';
import { clientCredentialsTokenSource, type ClientCredentials } from '../oauth-token';
import { TenantErrors } from './tenant.errors';

export const TENANT_DIRECTORY_CONFIG = 'fapiao:config:tenant-directory';

export const tenantDirectoryConfig = defineConfig(
  'tenantDirectory',
  z
    .object({
      /** auth's in-cluster address for the tenant directory; defaults to the token issuer. */
      AUTH_INTERNAL_URL: env.url().optional(),
      AUTH_ISSUER: env.url().default('http://127.0.0.1:3001'),
      TENANT_CACHE_TTL_MS: env.int(60_000, 0),
      // The directory answers service callers only: this service's client, holding tenants:lookup.
      AUTH_CLIENT_ID: z.string().min(1).optional(),
      AUTH_CLIENT_SECRET: z.string().min(1).optional(),
      AUTH_CLIENT_SECRET_FILE: env.file({ trimNewline: true }).optional(),
    })
    .superRefine((e, context) => {
      const issue = (variable: string, message: string) =>
        context.addIssue({ code: 'custom', path: [variable], message });
      const secret = e.AUTH_CLIENT_SECRET ?? e.AUTH_CLIENT_SECRET_FILE;
      if (e.AUTH_CLIENT_SECRET !== undefined && e.AUTH_CLIENT_SECRET_FILE !== undefined)
        issue('AUTH_CLIENT_SECRET_FILE', 'set AUTH_CLIENT_SECRET or AUTH_CLIENT_SECRET_FILE, not both');
      else if (e.AUTH_CLIENT_ID !== undefined && secret === undefined)
        issue(
          'AUTH_CLIENT_SECRET',
          'AUTH_CLIENT_SECRET or AUTH_CLIENT_SECRET_FILE is required with AUTH_CLIENT_ID',
        );
      else if (e.AUTH_CLIENT_ID === undefined && secret !== undefined)
        issue('AUTH_CLIENT_ID', 'is required with AUTH_CLIENT_SECRET(_FILE)');
    }),
  (e): { authInternalUrl: string; cacheTtlMs: number; serviceClient?: ClientCredentials } => {
    const authInternalUrl = (e.AUTH_INTERNAL_URL ?? e.AUTH_ISSUER).replace(/\/$/, '');
    const secret = e.AUTH_CLIENT_SECRET ?? e.AUTH_CLIENT_SECRET_FILE;
    return {
      authInternalUrl,
      cacheTtlMs: e.TENANT_CACHE_TTL_MS,
      ...(e.AUTH_CLIENT_ID &&
        secret && {
          serviceClient: {
            tokenUrl: `${authInternalUrl}/oauth/token`,
            clientId: e.AUTH_CLIENT_ID,
            clientSecret: new Secret(secret),
            scope: 'tenants:lookup',
          },
        }),
    };
  },
);

export type TenantDirectoryConfig = ReturnType<typeof tenantDirectoryConfig.read>;

export interface KnownTenant {
  id: string;
  sellerTaxId: string;
}

const KnownTenantSchema = z.object({ id: z.string(), sellerTaxId: z.string() });

/**
 * A Kafka message's tenant is a claim of whoever wrote to the topic: consumers check it against auth's
 * tenant directory (HTTP callers' tenants come from their tokens). Cached, since tenants rarely change;
 * an unknown tenant is not cached.
 */
@Injectable()
export class TenantDirectory {
  private readonly cache = new Map<string, { tenant: KnownTenant; until: number }>();

  private readonly token?: () => Promise<{ value: string }>;

  constructor(@Inject(TENANT_DIRECTORY_CONFIG) private readonly config: TenantDirectoryConfig) {
    // Fetched once and renewed before it expires, not per lookup.
    if (config.serviceClient)
      this.token = clientCredentialsTokenSource(config.serviceClient, { timeoutMs: 3_000 });
  }

  /** The tenant, or TENANT.UNKNOWN (poison); TENANT.DIRECTORY_UNAVAILABLE (retried) if auth cannot say. */
  async get(tenantId: string): Promise<KnownTenant> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.tenant;
    let response: Response;
    try {
      const authorization = this.token ? `Bearer ${(await this.token()).value}` : undefined;
      response = await fetch(
        `${this.config.authInternalUrl}/internal/v1/tenants/${encodeURIComponent(tenantId)}`,
        { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(3_000) },
      );
    } catch (error) {
      throw TenantErrors.directoryUnavailable(error instanceof Error ? error.message : String(error));
    }
    if (response.status === 404 || response.status === 400) throw TenantErrors.unknown(tenantId);
    if (response.status === 401 || response.status === 403)
      throw TenantErrors.directoryUnavailable(
        `HTTP ${response.status}: AUTH_CLIENT_ID/AUTH_CLIENT_SECRET must name a client holding tenants:lookup`,
      );
    if (!response.ok) throw TenantErrors.directoryUnavailable(`HTTP ${response.status}`);
    const parsed = KnownTenantSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw TenantErrors.directoryUnavailable('unexpected answer');
    const tenant = { id: parsed.data.id, sellerTaxId: parsed.data.sellerTaxId };
    this.cache.set(tenantId, { tenant, until: Date.now() + this.config.cacheTtlMs });
    return tenant;
  }

  /**
   * The tenant if `sellerTaxId` is its seller; TENANT.SELLER_MISMATCH (poison) for another tenant's
   * seller or one nobody has, so a message never acts for a seller its tenant does not own.
   */
  async assertSeller(tenantId: string, sellerTaxId: string): Promise<KnownTenant> {
    const tenant = await this.get(tenantId);
    if (tenant.sellerTaxId !== sellerTaxId) throw TenantErrors.sellerMismatch(tenantId);
    return tenant;
  }
}
