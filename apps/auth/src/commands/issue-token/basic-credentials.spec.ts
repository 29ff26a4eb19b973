import { isDomainError } from '@fapiao/contracts';
import { MAX_BASIC_HEADER_LENGTH, parseBasicCredentials } from './basic-credentials';

const basic = (raw: string | Buffer) => `Basic ${Buffer.from(raw).toString('base64')}`;

const refusal = (header: string) => {
  try {
    parseBasicCredentials(header);
  } catch (error) {
    return isDomainError(error) ? { kind: error.kind, code: error.code, message: error.message } : error;
  }
  return 'accepted';
};

describe('parseBasicCredentials', () => {
  it('reads id and secret, each percent-decoded (RFC 6749 §2.3.1)', () => {
    expect(parseBasicCredentials(basic('demo:s3cr%3At'))).toEqual({
      clientId: 'demo',
      clientSecret: 's3cr:t',
    });
    expect(parseBasicCredentials(`bAsIc   ${Buffer.from('a:b').toString('base64')} `)).toEqual({
      clientId: 'a',
      clientSecret: 'b',
    });
    // Unpadded base64 is still base64.
    expect(parseBasicCredentials('Basic YTpi')).toEqual({ clientId: 'a', clientSecret: 'b' });
  });

  it('leaves other schemes and no header to the body credentials', () => {
    expect(parseBasicCredentials(undefined)).toBeUndefined();
    expect(parseBasicCredentials('Bearer abc.def.ghi')).toBeUndefined();
  });

  it.each([
    ['bad base64', 'Basic !!!not-base64!!!', 'not base64'],
    ['base64 with junk Node would skip', `Basic ${Buffer.from('a:b').toString('base64')}*`, 'not base64'],
    ['Basic with nothing', 'Basic ', 'not base64'],
    ['no colon', basic('only-an-id'), 'no colon'],
    ['an empty client id', basic(':secret'), 'empty client id or secret'],
    ['an empty secret', basic('client:'), 'empty client id or secret'],
    ['non-UTF-8 bytes', basic(Buffer.from([0xff, 0xfe, 0x3a, 0x41])), 'not UTF-8'],
    ['a bad percent-escape', basic('%E0%A4%A:secret'), 'a bad percent-escape'],
    ['control characters', basic('id%00:secret'), 'control characters'],
    ['an oversized header', `Basic ${'QUFB'.repeat(MAX_BASIC_HEADER_LENGTH)}`, 'too long'],
  ])('refuses %s with AUTH.MALFORMED_CREDENTIALS (401), never a crash', (_case, header, reason) => {
    expect(refusal(header)).toEqual({
      kind: 'unauthenticated',
      code: 'AUTH.MALFORMED_CREDENTIALS',
      message: expect.stringContaining(reason) as string,
    });
  });
});
