import { expectString } from './input';
import { fail, ok, type Result } from './result';

export interface UsccOptions {
  /**
   * Also check the GB 11714 organization-code check character embedded in characters 9–17 (default true).
   * Turn off only for a known population of early codes that fail it.
   */
  readonly checkOrganizationCode?: boolean;
}

export const USCC_LENGTH = 18;

/** GB 32100-2015: digits and capitals except I, O, Z, S, V; a character's value is its index here. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015: the weight of position i (1-based) is 3^(i-1) mod 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 11714-1997: weights of the eight body characters of the organization code. */
const ORGANIZATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Validates an 18-character Unified Social Credit Code; returns it without surrounding whitespace. */
export function validateUscc(code: string, options?: UsccOptions): Result<{ normalized: string }> {
  const text = expectString(code, 'unified social credit code');
  if (!text.ok) return text;
  const normalized = text.value.trim();
  const chars = [...normalized];
  if (chars.length !== USCC_LENGTH) {
    return fail(
      'USCC.LENGTH',
      `a unified social credit code has ${USCC_LENGTH} characters, got ${chars.length}`,
    );
  }
  if (/[a-z]/.test(normalized)) {
    return fail('USCC.LOWERCASE', 'a unified social credit code is written in capital letters');
  }
  const foreign = chars.filter((char) => !USCC_ALPHABET.includes(char));
  if (foreign.length > 0) {
    return fail(
      'USCC.CHARSET',
      `characters not allowed in a unified social credit code (digits and capitals except I, O, Z, S, V): ${foreign.join(' ')}`,
    );
  }
  if (!/^\d{6}$/.test(normalized.slice(2, 8))) {
    return fail('USCC.REGION', 'characters 3–8 (administrative division code, GB/T 2260) must be digits');
  }
  if (normalized[17] !== usccCheckCharacter(normalized.slice(0, 17))) {
    return fail('USCC.CHECKSUM', 'the check character (18th) does not match the code');
  }
  if (
    (options?.checkOrganizationCode ?? true) &&
    normalized[16] !== organizationCheckCharacter(normalized.slice(8, 16))
  ) {
    return fail(
      'USCC.ORGANIZATION_CODE',
      'characters 9–17 are not a valid organization code (GB 11714 check character)',
    );
  }
  return ok({ normalized });
}

/** GB 32100-2015: C18 = 31 − (Σ Ci·Wi mod 31), where 31 is written 0. `body` is 17 alphabet characters. */
function usccCheckCharacter(body: string): string {
  const sum = [...body].reduce(
    (total, char, index) => total + USCC_ALPHABET.indexOf(char) * USCC_WEIGHTS[index],
    0,
  );
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * GB 11714-1997: C9 = 11 − (Σ Ci·Wi mod 11), 10 written X and 11 written 0; digits count their value,
 * letters A–Z count 10–35.
 */
function organizationCheckCharacter(body: string): string {
  const sum = [...body].reduce(
    (total, char, index) => total + parseInt(char, 36) * ORGANIZATION_WEIGHTS[index],
    0,
  );
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}
