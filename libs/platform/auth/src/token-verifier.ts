import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AUTH_VERIFY_CONFIG, type AuthVerifyConfig } from '@fapiao/platform/config';
import type { Principal } from '@fapiao/platform/http';
import { AuthErrors } from './auth.errors';

/**
 * Verifies RS256 access tokens against the auth service's JWKS. jose caches the key set and refetches it
 * when a token names a `kid` it has not seen (key rotation), with a cooldown against refetch storms.
 */
@Injectable()
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(@Inject(AUTH_VERIFY_CONFIG) private readonly config: AuthVerifyConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), {
      timeoutDuration: 3_000,
      cooldownDuration: 10_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub', 'tid'],
      });
      if (typeof payload.tid !== 'string' || typeof payload.sub !== 'string')
        throw AuthErrors.invalidClaims('tid');
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      const sellerTaxId = typeof payload.stx === 'string' ? payload.stx : undefined;
      return { tenantId: payload.tid, sellerTaxId, clientId: payload.sub, scopes };
    } catch (error) {
      throw translate(error);
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
