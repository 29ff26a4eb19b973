import { OAuthErrors } from '../../domain/auth.errors';

/** Longer than any client id (64) and secret (43, base64url of 32 bytes) we issue, percent-encoded, in base64. */
export const MAX_BASIC_HEADER_LENGTH = 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * client_secret_basic (RFC 6749 §2.3.1): both parts are form-urlencoded, joined by a colon, in base64.
 * Another scheme (or none) is not ours to judge: undefined, and the body's credentials count. A Basic
 * header that cannot be read is refused with AUTH.MALFORMED_CREDENTIALS (401 invalid_client), never
 * decoded leniently (Node's base64 decoder skips junk) and never left to throw (a bad %-escape).
 */
export function parseBasicCredentials(header: string | undefined): ClientCredentials | undefined {
  if (header === undefined) return undefined;
  if (header.length > MAX_BASIC_HEADER_LENGTH) {
    // Whatever its scheme, it is not a credential we could have issued.
    throw OAuthErrors.malformedCredentials('the Authorization header is too long');
  }
  const match = /^(\S+)(?: +(.*))?$/.exec(header.trim());
  if (match?.[1]?.toLowerCase() !== 'basic') return undefined;
  const encoded = match[2]?.trim() ?? '';
  if (!encoded || !BASE64.test(encoded)) throw OAuthErrors.malformedCredentials('not base64');
  let decoded: string;
  try {
    decoded = UTF8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw OAuthErrors.malformedCredentials('not UTF-8');
  }
  const separator = decoded.indexOf(':');
  if (separator < 0) throw OAuthErrors.malformedCredentials('no colon between client id and secret');
  const clientId = formDecode(decoded.slice(0, separator));
  const clientSecret = formDecode(decoded.slice(separator + 1));
  if (!clientId || !clientSecret) throw OAuthErrors.malformedCredentials('empty client id or secret');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(clientId + clientSecret))
    throw OAuthErrors.malformedCredentials('control characters');
  return { clientId, clientSecret };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw OAuthErrors.malformedCredentials('a bad percent-escape');
  }
}
