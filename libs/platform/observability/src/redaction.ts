import type { MySQL2InstrumentationConfig } from '@opentelemetry/instrumentation-mysql2';

/**
 * What telemetry must never carry (architecture.md §7): credentials, key material and tax ids. Structured
 * fields are redacted by path (pino's `redact`); free text (log messages, error reasons, URLs) is scrubbed
 * by shape, since a tax id or token can end up inside a sentence.
 */

/** The fields pino never prints, at any of the first three levels of a logged object. */
const SECRET_FIELDS = [
  'authorization',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'access_token',
  'privateKey',
  'taxId',
  'sellerTaxId',
];

/** Paths pino redacts: request parts by name, secret fields up to two levels down, a buyer wherever logged. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'req.body.client_secret',
  'req.body.buyer',
  'req.query.sellerTaxId',
  'req.query.taxId',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  'buyer',
  '*.buyer',
];

export const CENSOR = '[redacted]';

/**
 * A unified social credit code (统一社会信用代码, 18 characters from a 31-character alphabet without I, O,
 * S, V, Z): as a whole word, so it never matches inside a longer id or a 20-digit invoice number.
 */
const USCC = /\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b/g;
const CREDENTIALS = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g;
const SECRET_PARAMETERS = /([?&](?:client_secret|secret|token|access_token|password)=)[^&#\s]*/gi;

/** The text with tax ids, bearer/basic credentials, PEM blocks and secret query parameters replaced. */
export function scrub(text: string): string {
  return text
    .replace(PEM, '[key material]')
    .replace(CREDENTIALS, `$1 ${CENSOR}`)
    .replace(SECRET_PARAMETERS, `$1${CENSOR}`)
    .replace(USCC, '[tax id]');
}

/**
 * The mysql2 instrumentation, configured never to record bound values: by default it formats them into
 * `db.query.text` (a buyer's name, a tax id, an encrypted signing key). Masked, the statement keeps its
 * `?` placeholders and loses its inline literals; no results are recorded (no responseHook).
 */
export const MYSQL2_INSTRUMENTATION_CONFIG = {
  maskStatement: true,
  maskStatementHook: (sql: string) => sql.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '?').replace(/\b\d+\b/g, '?'),
  addSqlCommenterCommentToQueries: false,
} satisfies MySQL2InstrumentationConfig;
