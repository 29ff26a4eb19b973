import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { AUTH_VERIFY_CONFIG, type AuthVerifyConfig } from '@fapiao/platform/config';
import type { Principal } from '@fapiao/platform/http';
import { AuthErrors } from './auth.errors';
import { MAX_TOKEN_TTL_SECONDS, PLATFORM_TENANT_ID } from './platform-principal';
import { isPlatformScope } from './scopes';

/** What auth's GET /v1/revocations answers: clients revoked within the longest token lifetime. */
export interface RevocationList {
  clients: { clientId: string; revokedAt: string }[];
}

/**
 * How long a verified token is taken on trust, never past its expiry: its signature and claims are checked
 * once a minute instead of on every request (RS256 verification was a tenth of order's CPU at its intake
 * peak). Revocation is still looked up on every request; a key withdrawn from the JWKS already keeps
 * verifying for the key set's cache time (10 minutes), which this adds at most a minute to.
 */
const TRUSTED_FOR_MS = 60_000;
/** Tokens trusted at once: a client keeps one token for its lifetime, so this is about as many clients. */
const TRUSTED_TOKENS = 5_000;

interface Trusted {
  principal: Principal;
  until: number;
}

/**
 * Verifies RS256 access tokens against the auth service's JWKS. jose caches the key set and refetches it
 * when a token names a `kid` it has not seen (key rotation), with a cooldown against refetch storms.
 *
 * Revocation: the list of revoked clients is fetched from auth at most once per AUTH_REVOCATION_CACHE_MS
 * (one request waits for it, concurrent ones share it), never per request; so a revoked client's tokens
 * are refused everywhere within that interval. While auth cannot be reached the last list stays in force
 * and is retried each interval; tokens still end at their lifetime (≤ MAX_TOKEN_TTL_SECONDS).
 */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger(TokenVerifier.name);
  private readonly keys: JWTVerifyGetKey;
  private revoked: ReadonlySet<string> = new Set();
  private revocationsCheckedAt = Number.NEGATIVE_INFINITY;
  private refreshing?: Promise<void>;
  private readonly trusted = new LRUCache<string, Trusted>({ max: TRUSTED_TOKENS });

  constructor(@Inject(AUTH_VERIFY_CONFIG) private readonly config: AuthVerifyConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), {
      timeoutDuration: 3_000,
      cooldownDuration: 10_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  async verify(token: string): Promise<Principal> {
    const principal = this.trustedPrincipal(token) ?? (await this.verifySigned(token));
    if ((await this.revokedClients()).has(principal.clientId)) throw AuthErrors.revokedClient();
    return principal;
  }

  private trustedPrincipal(token: string): Principal | undefined {
    const trusted = this.trusted.get(token);
    if (!trusted) return undefined;
    if (Date.now() < trusted.until) return trusted.principal;
    this.trusted.delete(token);
    return undefined;
  }

  private async verifySigned(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'sub', 'tid'],
      });
      if (typeof payload.tid !== 'string' || typeof payload.sub !== 'string')
        throw AuthErrors.invalidClaims('tid');
      // A longer-lived token would outlive the revocation list, which remembers MAX_TOKEN_TTL_SECONDS.
      const expiresAt = payload.exp ?? 0;
      if (expiresAt - (payload.iat ?? 0) > MAX_TOKEN_TTL_SECONDS) throw AuthErrors.invalidClaims('exp');
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      // Defence in depth: auth never signs a platform scope for a tenant's client.
      if (payload.tid !== PLATFORM_TENANT_ID && scopes.some(isPlatformScope))
        throw AuthErrors.invalidClaims('scope');
      const sellerTaxId = typeof payload.stx === 'string' ? payload.stx : undefined;
      // Shared by every request that presents the token: frozen so none can change another's.
      const principal: Principal = Object.freeze({
        tenantId: payload.tid,
        sellerTaxId,
        clientId: payload.sub,
        scopes: Object.freeze(scopes),
      });
      const until = Math.min(
        Date.now() + TRUSTED_FOR_MS,
        (expiresAt + this.config.clockToleranceSeconds) * 1_000,
      );
      this.trusted.set(token, { principal, until });
      return principal;
    } catch (error) {
      throw translate(error);
    }
  }

  private async revokedClients(): Promise<ReadonlySet<string>> {
    if (Date.now() - this.revocationsCheckedAt < this.config.revocationCacheMs) return this.revoked;
    this.refreshing ??= this.refreshRevocations().finally(() => (this.refreshing = undefined));
    await this.refreshing;
    return this.revoked;
  }

  private async refreshRevocations(): Promise<void> {
    try {
      const response = await fetch(this.config.revocationsUrl, {
        signal: AbortSignal.timeout(Math.min(3_000, this.config.revocationCacheMs)),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const list = (await response.json()) as RevocationList;
      this.revoked = new Set(list.clients.map((client) => client.clientId));
    } catch (error) {
      this.logger.warn(
        `revocation list not refreshed from ${this.config.revocationsUrl} (the last one stays in force): ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    } finally {
      this.revocationsCheckedAt = Date.now();
    }
  }
}

function translate(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return AuthErrors.expiredToken();
  if (error instanceof errors.JWKSNoMatchingKey) return AuthErrors.unknownKey();
  if (error instanceof errors.JWTClaimValidationFailed) return AuthErrors.invalidClaims(error.claim);
  if (error instanceof errors.JOSEAlgNotAllowed) return AuthErrors.invalidToken('algorithm not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed) return AuthErrors.invalidToken('bad signature');
  if (error instanceof errors.JOSEError) return AuthErrors.invalidToken(error.code);
  return error instanceof Error ? error : AuthErrors.invalidToken('unreadable');
}
