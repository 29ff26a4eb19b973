import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../auth.config';

/**
 * Sets Express's `trust proxy` from AUTH_TRUST_PROXY, so `req.ip` (the address the token endpoint
 * throttles) is the TCP peer unless that peer is a proxy we were told to trust; then it is the nearest
 * X-Forwarded-For entry the trusted proxies did not add themselves.
 */
@Injectable()
export class TrustProxySetting implements OnModuleInit {
  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter?.getInstance() as
      { set?: (name: string, value: unknown) => void } | undefined;
    app?.set?.('trust proxy', this.config.tokenEndpoint.trustProxy);
  }
}
