import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { loggerParams } from './logging.module';
import { MYSQL2_INSTRUMENTATION_CONFIG, scrub } from './redaction';

const SELLER_TAX_ID = '91440300708461136T';
const BUYER_TAX_ID = '91110000802100433B';
const BUYER_NAME = '北京百度网讯科技有限公司';
const CLIENT_SECRET = 'cs_4f9b2c7e1a0d8e6f5b3c2a1d0e9f8a7b';
const BEARER = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const BASIC = Buffer.from(`client:${CLIENT_SECRET}`).toString('base64');
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
const SECRETS = [
  SELLER_TAX_ID,
  BUYER_TAX_ID,
  BUYER_NAME,
  CLIENT_SECRET,
  BEARER,
  BASIC,
  'MIIEvQIBADAN',
  'PRIVATE KEY',
];

/** A service's pino, writing its JSON lines to an array. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const params = loggerParams({ logLevel: 'trace', name: 'test' });
  const { logger } = pinoHttp(params.pinoHttp as object, stream);
  return { logger, output: () => lines.join('') };
}

describe('telemetry redaction', () => {
  it('scrubs tax ids, credentials, key material and secret query parameters out of free text', () => {
    const text = scrub(
      `seller ${SELLER_TAX_ID} (buyer ${BUYER_TAX_ID}) sent Authorization: Bearer ${BEARER} and Basic ${BASIC}; ` +
        `key ${PEM}; GET /x?client_secret=${CLIENT_SECRET}&page=2`,
    );
    for (const secret of SECRETS.filter((s) => s !== BUYER_NAME)) expect(text).not.toContain(secret);
    expect(text).toContain('[tax id]');
    expect(text).toContain('page=2');
    // Ids that only look alike stay: a UUID, a 20-digit invoice number, a serial.
    const ids = '0195f3a2-7c1e-7d40-9b8a-3f2e1d0c9b8a 26441000000000000123 FP0195f3a27c1e7d40';
    expect(scrub(ids)).toBe(ids);
  });

  it('logs no authorization header, secret, tax id, buyer or key material, whatever the call', () => {
    const { logger, output } = capture();
    const req = {
      id: 1,
      method: 'GET',
      url: `/v1/invoices?sellerTaxId=${SELLER_TAX_ID}&client_secret=${CLIENT_SECRET}`,
      query: { sellerTaxId: SELLER_TAX_ID },
      headers: {
        authorization: `Bearer ${BEARER}`,
        'proxy-authorization': `Basic ${BASIC}`,
        cookie: `session=${CLIENT_SECRET}`,
      },
      socket: { remoteAddress: '127.0.0.1', remotePort: 50_000 },
    };
    logger.info({ req }, 'request completed');
    logger.info({
      body: { buyer: { name: BUYER_NAME, taxId: BUYER_TAX_ID }, seller: { taxId: SELLER_TAX_ID } },
    });
    logger.info({
      buyer: { name: BUYER_NAME },
      clientSecret: CLIENT_SECRET,
      authorization: `Basic ${BASIC}`,
    });
    logger.info({ client: { clientSecret: CLIENT_SECRET, secret: CLIENT_SECRET, privateKey: PEM } });
    // What Nest's Logger hands pino: one string, e.g. a consumer's poison message with its reason.
    logger.warn(`IssueInvoice m-1 is poison: seller ${SELLER_TAX_ID} rejected; token Bearer ${BEARER}`);
    logger.error({ err: new Error(`cannot decrypt ${PEM} for ${BUYER_TAX_ID}`) }, 'failed');
    const text = output();
    expect(text.split('\n').filter(Boolean)).toHaveLength(6);
    for (const secret of SECRETS)
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    expect(text).toContain('[redacted]');
  });

  it('has the mysql2 instrumentation record statements without their bound values or literals', () => {
    expect(MYSQL2_INSTRUMENTATION_CONFIG.maskStatement).toBe(true);
    const sql = "INSERT INTO `orders` (`buyer_name`, `note`, `n`) VALUES (?, 'it''s ' , 42) -- x";
    expect(MYSQL2_INSTRUMENTATION_CONFIG.maskStatementHook(sql)).toBe(
      'INSERT INTO `orders` (`buyer_name`, `note`, `n`) VALUES (?, ?? , ?) -- x',
    );
  });
});
