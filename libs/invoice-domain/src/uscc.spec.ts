import fc from 'fast-check';
import { validateUscc } from './uscc';

// A code generator written for the test from GB 32100-2015 and GB 11714-1997, independent of the implementation.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weight = (position: number): number => Number(3n ** BigInt(position) % 31n);

const usccCheck = (body: string): string =>
  ALPHABET[
    (31 - ([...body].reduce((sum, char, i) => sum + ALPHABET.indexOf(char) * weight(i), 0) % 31)) % 31
  ];

function organizationCheck(body: string): string {
  const sum = [...body].reduce(
    (total, char, i) => total + parseInt(char, 36) * [3, 7, 9, 10, 5, 8, 4, 2][i],
    0,
  );
  return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'][(11 - (sum % 11)) % 11];
}

/** 8 characters of authority, category and region, then the 8-character organization body: a valid code. */
const build = (head: string, organization: string): string => {
  const body = head + organization + organizationCheck(organization);
  return body + usccCheck(body);
};

/** Valid codes: registration authority and category, six-digit region, organization code, both checks. */
const validCodes = fc
  .tuple(
    fc.constantFrom('11', '12', '13', '19', '51', '52', '53', '59', '91', '92', '93', 'Y1'),
    fc.stringMatching(/^\d{6}$/),
    fc.array(fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), { minLength: 8, maxLength: 8 }),
  )
  .map(([authority, region, organization]) => build(authority + region, organization.join('')));

/** Published codes: Tencent, Baidu, Huawei, Xiaomi, Alibaba, Kweichow Moutai, Sinopec, PetroChina. */
const PUBLISHED = [
  '91440300708461136T',
  '91110000802100433B',
  '914403001922038216',
  '91110108551385082Q',
  '91330100716105852F',
  '91520000214434146R',
  '91110000710926094P',
  '911100007109310534',
];

describe('validateUscc', () => {
  it.each(PUBLISHED)('accepts the published code %s', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: { normalized: code } });
  });

  it('trims surrounding whitespace', () => {
    expect(validateUscc('  91440300708461136T\n')).toEqual({
      ok: true,
      value: { normalized: '91440300708461136T' },
    });
  });

  it.each([
    ['911100001000000000', 'USCC.CHECKSUM'],
    ['91440300708461136X', 'USCC.CHECKSUM'],
    ['91440300708461136t', 'USCC.LOWERCASE'],
    ['9144030070846113', 'USCC.LENGTH'],
    ['91440300708461136TT', 'USCC.LENGTH'],
    ['', 'USCC.LENGTH'],
    ['91440300708461136I', 'USCC.CHARSET'],
    ['9144030070846113-T', 'USCC.CHARSET'],
    ['914403OO708461136T', 'USCC.CHARSET'],
    ['91ABCDEF708461136T', 'USCC.REGION'],
    [123, 'INPUT.TYPE'],
    [null, 'INPUT.TYPE'],
    [undefined, 'INPUT.REQUIRED'],
  ])('refuses %p with %s', (code, expected) => {
    expect(validateUscc(code as string)).toMatchObject({ ok: false, error: { code: expected } });
  });

  it('checks the embedded organization code unless told not to', () => {
    // Characters 9–17 fail GB 11714 (check 5 where 6 is due) while the USCC check character is right.
    const body = '91440300' + '70846113' + '5';
    const earlyCode = body + usccCheck(body);
    expect(validateUscc(earlyCode)).toMatchObject({ ok: false, error: { code: 'USCC.ORGANIZATION_CODE' } });
    expect(validateUscc(earlyCode, { checkOrganizationCode: false })).toEqual({
      ok: true,
      value: { normalized: earlyCode },
    });
  });

  it('accepts every code built by the standard', () => {
    expect(build('91440300', '70846113')).toBe('91440300708461136T');
    fc.assert(
      fc.property(validCodes, (code) => {
        expect(validateUscc(code)).toEqual({ ok: true, value: { normalized: code } });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every code with one character changed', () => {
    for (const code of PUBLISHED) {
      for (let position = 0; position < 18; position++) {
        for (const char of ALPHABET) {
          if (char === code[position]) continue;
          const changed = code.slice(0, position) + char + code.slice(position + 1);
          expect(validateUscc(changed).ok).toBe(false);
        }
      }
    }
    const anyChar = fc.oneof(
      fc.constantFrom(...ALPHABET, ...'IOZSVaz-_ 　'),
      fc.string({ minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(validCodes, fc.nat(17), anyChar, (code, position, char) => {
        fc.pre(char !== code[position]);
        expect(validateUscc(code.slice(0, position) + char + code.slice(position + 1)).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
