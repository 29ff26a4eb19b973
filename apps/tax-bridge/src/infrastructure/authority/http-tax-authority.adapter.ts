import { Inject, Injectable } from '@nestjs/common';
import { Agent } from 'undici';
import { CLIENT_CERTIFICATE, type ClientCertificate } from '../../certificate/client-certificate';
import { Histogram } from 'prom-client';
import {
  AuthorityBatchIssueResponseSchema,
  AuthorityErrorCodes,
  AuthorityInvoiceSchema,
  type AuthorityBatchIssueItem,
  type AuthorityBatchIssueRequest,
  type AuthorityInvoice,
  AuthorityRedLetterFormSchema,
  type AuthorityIssueRequest,
  type AuthorityRaiseRedLetterFormRequest,
  type AuthorityRedLetterForm,
  type ErrorBody,
} from '@fapiao/contracts';
import {
  AuthorityPaused,
  OutcomeUnknown,
  type FormOutcome,
  type IssueOutcome,
  type Issued,
  type Rejected,
} from '../../domain/authority-outcome';
import { TAX_BRIDGE_CONFIG, type TaxBridgeConfig } from '../../tax-bridge.config';
import { TaxAuthorityAdapter } from './tax-authority.adapter';

export const authorityLatency = new Histogram({
  name: 'fapiao_tax_authority_request_duration_seconds',
  help: 'Calls to the tax authority by operation and outcome',
  labelNames: ['operation', 'outcome'],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
});

/** Definite refusals: the authority looked at the invoice and said no. */
const DEFINITE_REJECTION = new Set([400, 409, 422]);

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const issuedOf = ({ number, issuedAt, fileRef, totals }: AuthorityInvoice): Issued => ({
  kind: 'issued',
  number,
  issuedAt,
  fileRef,
  totalGross: totals.gross,
  totals,
});

/** The simulator's (and the real platform's) HTTP shape, libs/contracts/src/authority.ts. */
@Injectable()
export class HttpTaxAuthorityAdapter implements TaxAuthorityAdapter {
  /** Mutual TLS with the client certificate, when one is configured. */
  private readonly dispatcher?: Agent;

  constructor(
    @Inject(TAX_BRIDGE_CONFIG) private readonly config: TaxBridgeConfig,
    @Inject(CLIENT_CERTIFICATE) certificate: ClientCertificate | null,
  ) {
    if (certificate) {
      this.dispatcher = new Agent({
        connect: { cert: certificate.cert, key: certificate.key, ca: certificate.ca },
      });
    }
  }

  async issue(request: AuthorityIssueRequest, signal?: AbortSignal): Promise<IssueOutcome> {
    const response = await this.call('issue', '/v1/invoices', signal, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (response.ok) return this.issued(response);
    if (DEFINITE_REJECTION.has(response.status)) return this.rejected(response);
    throw await this.notDefinite(response);
  }

  async issueBatch(
    requests: AuthorityBatchIssueItem[],
    signal?: AbortSignal,
  ): Promise<Map<string, IssueOutcome>> {
    const response = await this.call('issue_batch', '/v1/invoices/batch', signal, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: requests } satisfies AuthorityBatchIssueRequest),
    });
    // Refused whole (an authority without batch uploads, a batch it will not read): nothing says what
    // became of each invoice, so each stays unknown and is resolved by serial on the single path.
    if (!response.ok) throw await this.notDefinite(response);
    const parsed = AuthorityBatchIssueResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new OutcomeUnknown(`unreadable batch answer: ${parsed.error.message.slice(0, 200)}`);
    const outcomes = new Map<string, IssueOutcome>();
    for (const item of parsed.data.items) {
      // Attributed by position and serial together; anything else is no answer for that invoice.
      const serial = requests[item.index]?.serial;
      if (serial === undefined || item.serial !== serial) continue;
      outcomes.set(
        serial,
        item.outcome === 'rejected'
          ? { kind: 'rejected', code: item.code, message: item.message }
          : issuedOf(item.invoice),
      );
    }
    return outcomes;
  }

  async findBySerial(serial: string, signal?: AbortSignal): Promise<Issued | null> {
    const response = await this.call(
      'query',
      `/v1/invoices/by-serial/${encodeURIComponent(serial)}`,
      signal,
      { method: 'GET' },
    );
    if (response.status === 404) return null;
    if (response.ok) return this.issued(response);
    throw await this.notDefinite(response);
  }

  async raiseRedLetterForm(
    request: AuthorityRaiseRedLetterFormRequest,
    signal?: AbortSignal,
  ): Promise<FormOutcome> {
    const response = await this.call('raise_form', '/v1/red-letter-forms', signal, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (response.ok) return { kind: 'form', form: await this.form(response) };
    if (DEFINITE_REJECTION.has(response.status)) return this.rejected(response);
    throw await this.notDefinite(response);
  }

  async findRedLetterForm(serial: string, signal?: AbortSignal): Promise<AuthorityRedLetterForm | null> {
    const response = await this.call(
      'query_form',
      `/v1/red-letter-forms/by-serial/${encodeURIComponent(serial)}`,
      signal,
      { method: 'GET' },
    );
    if (response.status === 404) return null;
    if (response.ok) return this.form(response);
    throw await this.notDefinite(response);
  }

  async getRedLetterForm(id: string, signal?: AbortSignal): Promise<AuthorityRedLetterForm> {
    const response = await this.call('query_form', `/v1/red-letter-forms/${encodeURIComponent(id)}`, signal, {
      method: 'GET',
    });
    if (response.ok) return this.form(response);
    throw await this.notDefinite(response);
  }

  /** The caller's signal ends the call (the timeout policy); the adapter's own timeout is a backstop. */
  private async call(
    operation: string,
    path: string,
    signal: AbortSignal | undefined,
    init: RequestInit,
  ): Promise<Response> {
    const stop = authorityLatency.startTimer({ operation });
    const backstop = AbortSignal.timeout(this.config.timeoutMs);
    try {
      const response = await fetch(`${this.config.authorityUrl}${path}`, {
        ...init,
        signal: signal ? AbortSignal.any([signal, backstop]) : backstop,
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      } as RequestInit);
      stop({ outcome: String(response.status) });
      return response;
    } catch (error) {
      const timedOut = Boolean(signal?.aborted) || backstop.aborted;
      stop({ outcome: timedOut ? 'timeout' : 'network' });
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new OutcomeUnknown(
        timedOut ? `no answer within ${this.config.timeoutMs} ms` : `network: ${cause ?? String(error)}`,
      );
    }
  }

  private async issued(response: Response): Promise<Issued> {
    const parsed = AuthorityInvoiceSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new OutcomeUnknown(`unreadable answer: ${parsed.error.message.slice(0, 200)}`);
    return issuedOf(parsed.data);
  }

  private async form(response: Response): Promise<AuthorityRedLetterForm> {
    // Strip extra fields (`duplicate`) so the stored form is the schema's.
    const parsed = AuthorityRedLetterFormSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new OutcomeUnknown(`unreadable form: ${parsed.error.message.slice(0, 200)}`);
    return parsed.data;
  }

  private async rejected(response: Response): Promise<Rejected> {
    const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
    return {
      kind: 'rejected',
      code: body.code ?? `AUTHORITY.HTTP_${response.status}`,
      message: body.message ?? '',
    };
  }

  /**
   * 429, 503 SIM.MAINTENANCE and 403 SIM.CLIENT_CERTIFICATE_EXPIRED are refusals at the door (nothing was
   * processed): pauses. Any other answer leaves the outcome unknown.
   */
  private async notDefinite(response: Response): Promise<AuthorityPaused | OutcomeUnknown> {
    const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
    const retryAfter = retryAfterMs(response);
    const message = `HTTP ${response.status}${body.code ? ` ${body.code}` : ''}${body.message ? `: ${body.message}` : ''}`;
    const until = (ms: number) => new Date(Date.now() + ms);
    if (response.status === 429)
      return new AuthorityPaused('rate_limited', until(retryAfter ?? 1_000), message);
    if (response.status === 503 && body.code === AuthorityErrorCodes.maintenance)
      return new AuthorityPaused('maintenance', until(retryAfter ?? this.config.retryCapMs), message);
    if (response.status === 403 && body.code === AuthorityErrorCodes.clientCertificateExpired)
      return new AuthorityPaused('certificate_expired', until(this.config.certificatePauseMs), message);
    return new OutcomeUnknown(message, retryAfter);
  }
}
