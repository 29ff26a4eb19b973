import { Inject, Injectable } from '@nestjs/common';
import { ORDER_CONFIG, type OrderConfig } from '../order.config';
import { TenantErrors } from '../domain/order.errors';

export interface KnownTenant {
  id: string;
  sellerTaxId: string;
}

/**
 * Validates the tenant named by an internal Kafka request against auth's tenant directory (HTTP producers'
 * tenants come from their tokens). Cached, since tenants rarely change; an unknown tenant is not cached.
 */
@Injectable()
export class TenantDirectory {
  private readonly cache = new Map<string, { tenant: KnownTenant; until: number }>();

  constructor(@Inject(ORDER_CONFIG) private readonly config: OrderConfig) {}

  async get(tenantId: string): Promise<KnownTenant> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.tenant;
    let response: Response;
    try {
      response = await fetch(
        `${this.config.authInternalUrl}/internal/v1/tenants/${encodeURIComponent(tenantId)}`,
        {
          signal: AbortSignal.timeout(3_000),
        },
      );
    } catch (error) {
      throw TenantErrors.directoryUnavailable(error instanceof Error ? error.message : String(error));
    }
    if (response.status === 404 || response.status === 400) throw TenantErrors.unknown(tenantId);
    if (!response.ok) throw TenantErrors.directoryUnavailable(`HTTP ${response.status}`);
    const tenant = (await response.json()) as KnownTenant;
    this.cache.set(tenantId, { tenant, until: Date.now() + this.config.tenantCacheTtlMs });
    return tenant;
  }
}
