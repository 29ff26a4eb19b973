import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../auth.config';
import { OAuthErrors } from '../../domain/auth.errors';
import { sourceKey } from './source-address';

/**
 * Fixed-window limits on token requests (rate-limiter-flexible, in process memory): per source address
 * first, then per client id, both before any database read or hash. Every request counts, answered or
 * refused, known id or not (counting only known ids would tell an attacker which exist). Each replica
 * counts on its own: N replicas allow N times the limits. An address over its limit adds no client-id
 * key, so memory stays bounded by the address limit times the addresses seen in a window.
 */
@Injectable()
export class TokenThrottle {
  private readonly byAddress: RateLimiterMemory;
  private readonly byClient: RateLimiterMemory;

  constructor(@Inject(AUTH_SERVER_CONFIG) config: AuthServerConfig) {
    const { perAddress, perClient, windowSeconds } = config.tokenEndpoint;
    this.byAddress = new RateLimiterMemory({
      keyPrefix: 'address',
      points: perAddress,
      duration: windowSeconds,
    });
    this.byClient = new RateLimiterMemory({
      keyPrefix: 'client',
      points: perClient,
      duration: windowSeconds,
    });
  }

  /** Counts one request; AUTH.TOO_MANY_REQUESTS (429, Retry-After) when either limit is spent. */
  async admit(address: string | undefined, clientId: string | undefined): Promise<void> {
    await consume(this.byAddress, sourceKey(address));
    if (clientId) await consume(this.byClient, clientId);
  }
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    throw OAuthErrors.tooManyRequests(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
  }
}
