import { Inject, Injectable } from '@nestjs/common';
import { bulkhead, BulkheadRejectedError, type BulkheadPolicy } from 'cockatiel';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../auth.config';
import { OAuthErrors } from '../domain/auth.errors';
import { UNKNOWN_CLIENT_HASH, verifyClientSecret } from '../domain/client-secret';

/**
 * Checks client secrets without letting a flood of them take the process. scrypt runs on libuv's
 * thread pool (the async API), never on the event loop; at most AUTH_HASH_CONCURRENCY checks run at once
 * (the pool has 4 threads, which WebCrypto signing and fs share, and the event loop needs a core for
 * JWKS and readiness), AUTH_HASH_QUEUE more wait, and beyond that the request is refused at once with
 * 503 AUTH.BUSY and Retry-After: queueing a flood only turns it into timeouts for everyone.
 */
@Injectable()
export class SecretVerifier {
  private readonly slots: BulkheadPolicy;
  /** The hash check itself (async scrypt); a seam for tests. */
  hash: (secret: string, stored: string) => Promise<boolean> = verifyClientSecret;

  constructor(@Inject(AUTH_SERVER_CONFIG) config: AuthServerConfig) {
    this.slots = bulkhead(config.tokenEndpoint.hashConcurrency, config.tokenEndpoint.hashQueue);
  }

  /**
   * Runs one credential check (look the client up, then `verify`) in a slot, so its database read is
   * bounded too; AUTH.BUSY when every slot and queue place is taken.
   */
  async inSlot<T>(check: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.execute(check);
    } catch (error) {
      if (error instanceof BulkheadRejectedError) throw OAuthErrors.busy();
      throw error;
    }
  }

  /** `stored` undefined (unknown or revoked id): the same work against a dummy hash, then false. */
  async verify(secret: string, stored: string | undefined): Promise<boolean> {
    const valid = await this.hash(secret, stored ?? UNKNOWN_CLIENT_HASH);
    return stored !== undefined && valid;
  }
}
