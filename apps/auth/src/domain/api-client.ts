/** The secret-bearing part of an API client, as the token endpoint checks it. */
export interface ClientSecrets {
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * The hashes a presented secret may match: the current one, and the one it replaced until its grace
 * period ends (so a rotation does not cut off callers that have not picked up the new secret yet).
 */
export function acceptedSecretHashes(client: ClientSecrets, now: Date): string[] {
  const { secretHash, previousSecretHash, previousSecretExpiresAt } = client;
  return previousSecretHash && previousSecretExpiresAt && previousSecretExpiresAt > now
    ? [secretHash, previousSecretHash]
    : [secretHash];
}
