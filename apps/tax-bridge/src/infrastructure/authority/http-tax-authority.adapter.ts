import { Inject, Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { AuthorityInvoiceSchema, type AuthorityIssueRequest, type ErrorBody } from '@fapiao/contracts';
import { OutcomeUnknown, type IssueOutcome } from '../../domain/authority-outcome';
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

/** The simulator's (and the real platform's) HTTP shape, libs/contracts/src/authority.ts. */
@Injectable()
export class HttpTaxAuthorityAdapter implements TaxAuthorityAdapter {
  constructor(@Inject(TAX_BRIDGE_CONFIG) private readonly config: TaxBridgeConfig) {}

  async issue(request: AuthorityIssueRequest): Promise<IssueOutcome> {
    const response = await this.call('issue', '/v1/invoices', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (response.ok) return this.issued(response);
    if (DEFINITE_REJECTION.has(response.status)) {
      const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
      return {
        kind: 'rejected',
        code: body.code ?? `AUTHORITY.HTTP_${response.status}`,
        message: body.message ?? '',
      };
    }
    throw this.unknown(response);
  }

  async findBySerial(serial: string): Promise<Extract<IssueOutcome, { kind: 'issued' }> | null> {
    const response = await this.call('query', `/v1/invoices/by-serial/${encodeURIComponent(serial)}`, {
      method: 'GET',
    });
    if (response.status === 404) return null;
    if (response.ok) return this.issued(response);
    throw this.unknown(response);
  }

  private async call(operation: string, path: string, init: RequestInit): Promise<Response> {
    const stop = authorityLatency.startTimer({ operation });
    try {
      const response = await fetch(`${this.config.authorityUrl}${path}`, {
        ...init,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      stop({ outcome: String(response.status) });
      return response;
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      stop({ outcome: timedOut ? 'timeout' : 'network' });
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new OutcomeUnknown(
        timedOut ? `no answer within ${this.config.timeoutMs} ms` : `network: ${cause ?? String(error)}`,
      );
    }
  }

  private async issued(response: Response): Promise<Extract<IssueOutcome, { kind: 'issued' }>> {
    const parsed = AuthorityInvoiceSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new OutcomeUnknown(`unreadable answer: ${parsed.error.message.slice(0, 200)}`);
    const { number, issuedAt, fileRef, totals } = parsed.data;
    return { kind: 'issued', number, issuedAt, fileRef, totalGross: totals.gross };
  }

  private unknown(response: Response): OutcomeUnknown {
    return new OutcomeUnknown(`HTTP ${response.status}`, retryAfterMs(response));
  }
}
