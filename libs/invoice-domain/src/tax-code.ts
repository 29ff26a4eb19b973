import { expectString } from './input';
import { fail, ok, type Result } from './result';

export const TAX_CODE_LENGTH = 19;

/** The first digit of a tax classification code: the part (篇) of the classification. */
export const TAX_CODE_CATEGORIES = {
  '1': 'goods',
  '2': 'labour-services',
  '3': 'services',
  '4': 'intangible-assets',
  '5': 'immovable-property',
  '6': 'non-taxable',
} as const;

export type TaxCodeCategory = (typeof TAX_CODE_CATEGORIES)[keyof typeof TAX_CODE_CATEGORIES];

/**
 * Validates a 19-digit goods and services tax classification code (商品和服务税收分类编码): one digit for
 * the part, then nine two-digit levels. A level is 00 only when it and every level below it are unused, so a
 * code names a path down the tree and never skips a level; the first level is always used. Whether the code
 * exists in the current table is for the table's owner (the tax bridge) to say.
 */
export function validateTaxCode(code: string): Result<{ normalized: string; category: TaxCodeCategory }> {
  const text = expectString(code, 'tax classification code');
  if (!text.ok) return text;
  const normalized = text.value.trim();
  if (normalized.length !== TAX_CODE_LENGTH) {
    return fail(
      'TAX_CODE.LENGTH',
      `a tax classification code has ${TAX_CODE_LENGTH} digits, got ${normalized.length} characters`,
    );
  }
  if (!/^\d+$/.test(normalized)) return fail('TAX_CODE.CHARSET', 'a tax classification code has digits only');
  const category = TAX_CODE_CATEGORIES[normalized[0] as keyof typeof TAX_CODE_CATEGORIES];
  if (category === undefined) {
    return fail('TAX_CODE.CATEGORY', 'the first digit of a tax classification code is 1–6');
  }
  const levels: string[] = normalized.slice(1).match(/\d\d/g) ?? [];
  const firstUnused = levels.indexOf('00');
  if (firstUnused === 0 || (firstUnused > 0 && levels.slice(firstUnused).some((level) => level !== '00'))) {
    return fail('TAX_CODE.STRUCTURE', 'a tax classification code uses its levels from the top without gaps');
  }
  return ok({ normalized, category });
}
