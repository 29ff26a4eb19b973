import type { ServiceIdentity } from '@fapiao/platform/config';
import type { ApiInfo } from '@fapiao/platform/service';

export const SIM_SERVICE: ServiceIdentity = {
  name: 'tax-authority-sim',
  defaultPort: 3010,
  defaultDatabase: 'fapiao_sim',
};

/** What its /docs says besides the routes. */
export const SIM_API: ApiInfo = {
  title: 'fapiao tax-authority-sim',
  description: `A faithful simulator of the tax authority platform (乐企 direct connection, or an intermediary such as
诺诺/百望), with fault injection.

**Authority API** (tag "authority: …"): issue blue and red-letter invoices, deduplicated by the submitter's serial;
query by serial, number or seller; red-letter confirmation forms with their 72-hour rule. Batch upload of up to 100
blue invoices (POST /v1/invoices/batch), each answered on its own with the same dedupe; the rate limit counts invoices.
20-digit numbers: year, province (seller USCC characters 3–4), channel (SIM_NUMBER_CHANNEL), 15-digit sequence from
blocks reserved per process (unique, with gaps after a restart).

**Outcomes**: 201/200 success; 422 \`SIM.*\` definite rejection; 404 \`SIM.NOT_FOUND\`; 409 form state conflicts;
429 \`SIM.RATE_LIMITED\` and 503 \`SIM.MAINTENANCE\` with Retry-After (seconds); 403
\`SIM.CLIENT_CERTIFICATE_EXPIRED\`. Any other 5xx, a reset connection (ECONNRESET / socket hang up) or no answer
means the outcome is unknown: resolve it with GET /v1/invoices/by-serial/{serial} before submitting again.

**Simulator control** (never subject to faults): POST/GET/DELETE /v1/faults, PUT /v1/maintenance/calendar,
GET /v1/status. Configuration: SIM_MAINTENANCE_ENABLED (default true; set false for tests and local runs on the
25th–27th), SIM_MAINTENANCE_DAYS (default 25-27, days of the month in UTC+8), SIM_RATE_LIMIT_PER_SECOND
(default 500 invoices per second and process, 0 = none), SIM_NUMBER_CHANNEL (default 1), SIM_NUMBER_BLOCK_SIZE
(default 1000).`,
};
