/**
 * tax-bridge against a slow, failing or unavailable tax authority, with every service as a process:
 * faults injected into the simulator must never lose, duplicate or fail an invoice.
 */
import type { AuthorityFaultsRequest, AuthorityFaultsView } from '@fapiao/contracts';
import { eventually, metricsUrlOf, sampleOrder, startTestSuite, SuiteApi, type Suite } from '@fapiao/testing';

const CONCURRENCY = 8;
/**
 * The issue's own figures by default: 200 orders through the faults, a 60-second maintenance window, the
 * authority down for 2 minutes. Smaller ones for a quick local run, e.g. FAULT_ORDERS=40
 * FAULT_MAINTENANCE_SECONDS=8 FAULT_OUTAGE_SECONDS=10.
 */
const ORDERS = Number(process.env.FAULT_ORDERS ?? 200);
const MAINTENANCE_SECONDS = Number(process.env.FAULT_MAINTENANCE_SECONDS ?? 60);
const OUTAGE_SECONDS = Number(process.env.FAULT_OUTAGE_SECONDS ?? 120);

jest.setTimeout(300_000);

interface AuthorityStatus {
  circuit: { state: 'closed' | 'half-open' | 'open' };
  paused: { reason: string; until: string } | null;
  queue: { depth: number };
  lastError: { message: string } | null;
}

describe('tax-bridge against authority faults', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;
  const logs: string[] = [];

  const sim = (path: string, init: RequestInit = {}) =>
    fetch(`${api.url('tax-authority-sim')}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${suite.simAdminToken}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  const setFaults = async (faults: AuthorityFaultsRequest) => {
    const response = await sim('/v1/faults', { method: 'POST', body: JSON.stringify(faults) });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as AuthorityFaultsView;
  };
  const clearFaults = () => sim('/v1/faults', { method: 'DELETE' });

  /** Invoices the simulator holds for the demo seller (an authority request: only without faults). */
  const authorityTotal = async (range: { from?: string; to?: string } = {}) => {
    const query = new URLSearchParams({
      sellerTaxId: suite.credentials.sellerTaxId,
      pageSize: '1',
      ...range,
    });
    const response = await sim(`/v1/invoices?${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { total: number }).total;
  };

  const status = async () => (await api.request<AuthorityStatus>('tax-bridge', '/v1/authority/status')).body;

  /** Sum of the tax-bridge metric samples whose line matches. */
  const metric = async (line: RegExp) => {
    const text = await (await fetch(metricsUrlOf(api.url('tax-bridge')))).text();
    return text
      .split('\n')
      .filter((sample) => line.test(sample))
      .reduce((sum, sample) => sum + Number(sample.split(' ').pop()), 0);
  };

  const placeOrders = async (prefix: string, count: number) => {
    const placed = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        api.placeOrder(sampleOrder(`ERP-${prefix}-${i}`), `${prefix}-${i}`),
      ),
    );
    expect(placed.map((r) => r.status)).toEqual(placed.map(() => 201));
    return placed.map((r) => r.body.id);
  };

  /** Every order INVOICED, each with exactly one ISSUED invoice. */
  const expectInvoiced = async (ids: string[], timeoutMs: number) => {
    await eventually(
      async () => (await Promise.all(ids.map((id) => api.order(id)))).every((o) => o.status === 'INVOICED'),
      timeoutMs,
      500,
    );
    for (const id of ids) {
      const { body } = await api.request<{ items: { status: string; number: string | null }[] }>(
        'invoice',
        `/v1/invoices?orderId=${id}`,
      );
      expect(body.items.map((i) => i.status)).toEqual(['ISSUED']);
      expect(body.items[0].number).toMatch(/^\d{20}$/);
    }
  };

  const drained = () => eventually(async () => (await status()).queue.depth === 0, 30_000);

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 600,
      dbPrefix: 'e2e_authority_faults_',
      extra: {
        TAX_MAINTENANCE_ENABLED: 'false',
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        CONSUMER_RETRY_DELAY_MS: '200',
        INVOICE_SUBMISSION_TIMEOUT_MS: '5000',
        RECON_SWEEP_INTERVAL_MS: '1000',
        TAX_AUTHORITY_TIMEOUT_MS: '1000',
        TAX_RETRY_BASE_MS: '100',
        TAX_RETRY_CAP_MS: '2000',
        TAX_CIRCUIT_HALF_OPEN_MS: '2000',
        // 45 % injected failures would keep a 50 % breaker flapping; the outage test still opens it.
        TAX_CIRCUIT_FAILURE_RATIO: '0.7',
        TAX_FORWARD_CONCURRENCY: String(CONCURRENCY),
        TAX_FORWARD_POLL_MS: '100',
        TAX_CERTIFICATE_PAUSE_MS: '2000',
      },
      log: (service, line) => logs.push(`${service}| ${line}`),
    });
    api = await SuiteApi.connect(suite);
  });

  // A failed test must not leave its backlog to the next one.
  afterEach(async () => {
    await clearFaults();
    await drained();
  });

  afterAll(() => suite?.dispose());

  it('issues every order exactly once through 30 % 5xx, 10 % timeouts and 5 % lost responses', async () => {
    const before = await authorityTotal();
    await setFaults({ seed: 7, errorRate: 0.3, timeoutRate: 0.1, responseLostRate: 0.05 });
    const ids = await placeOrders('FAULTS', ORDERS);
    await expectInvoiced(ids, 60_000 + ORDERS * 1_000);
    const { injected } = (await (await sim('/v1/faults')).json()) as AuthorityFaultsView;
    // The faults really happened, lost responses included (those were issued: a resubmission would duplicate).
    expect(injected.error).toBeGreaterThan(0);
    expect(injected.timeout).toBeGreaterThan(0);
    expect(injected.response_lost).toBeGreaterThan(0);
    await clearFaults();
    expect(await authorityTotal()).toBe(before + ORDERS);
    await drained();
  });

  it('holds submissions during a maintenance window and issues them all after it', async () => {
    const before = await authorityTotal();
    const early = await placeOrders('MAINT-EARLY', 10);
    await expectInvoiced(early, 30_000);

    const { spec } = await setFaults({ maintenance: { forSeconds: MAINTENANCE_SECONDS } });
    const windowEnd = spec?.maintenance?.until as string;
    const late = await placeOrders('MAINT-LATE', 20);
    // The queue grows while the bridge waits for the window to end, without failing anything.
    await eventually(
      async () => {
        const now = await status();
        return now.paused?.reason === 'maintenance' && now.queue.depth >= 20;
      },
      (MAINTENANCE_SECONDS - 1) * 1_000,
    );
    expect(await metric(/^fapiao_tax_paused\{.*reason="maintenance"/)).toBe(1);
    expect(Date.now()).toBeLessThan(Date.parse(windowEnd));

    await expectInvoiced([...early, ...late], MAINTENANCE_SECONDS * 1_000 + 60_000);
    await drained();
    expect(await authorityTotal()).toBe(before + 30);
    // Every invoice of the window was issued after it ended.
    expect(await authorityTotal({ from: windowEnd })).toBe(20);
    expect(await metric(/^fapiao_tax_paused\{.*reason="maintenance"/)).toBe(0);
  });

  it('opens the circuit while the authority is down, queues, and drains once it has recovered', async () => {
    const before = await authorityTotal();
    await setFaults({ errorRate: 1 });
    const downAt = Date.now();
    const ids = await placeOrders('DOWN', 20);
    await eventually(async () => (await status()).circuit.state === 'open', 8_000);
    expect(await metric(/^fapiao_tax_circuit_state\{/)).toBe(2);
    const during = await status();
    expect(during.queue.depth).toBeGreaterThan(0);
    expect(during.lastError?.message).toMatch(/HTTP 50\d/);
    // While open, the bridge only probes (one per TAX_CIRCUIT_HALF_OPEN_MS at most): far fewer requests
    // than submissions waiting and retrying.
    const probesFrom = ((await (await sim('/v1/faults')).json()) as AuthorityFaultsView).requests;
    const probeWindowMs = downAt + OUTAGE_SECONDS * 1_000 - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, probeWindowMs)));
    const probes = ((await (await sim('/v1/faults')).json()) as AuthorityFaultsView).requests - probesFrom;
    expect(probes).toBeLessThanOrEqual(Math.ceil(probeWindowMs / 2_000) + 5);
    expect((await status()).queue.depth).toBe(20);

    await clearFaults();
    await expectInvoiced(ids, 30_000);
    await eventually(async () => (await status()).circuit.state === 'closed', 10_000);
    expect(await metric(/^fapiao_tax_circuit_state\{/)).toBe(0);
    await drained();
    expect(await authorityTotal()).toBe(before + 20);
  });

  it('honours 429 Retry-After: no request before the time, and every order is still issued', async () => {
    const before = await authorityTotal();
    const rateLimited = /^fapiao_tax_authority_request_duration_seconds_count\{.*outcome="429"/;
    const refusedBefore = await metric(rateLimited);
    await setFaults({ rateLimit: { perSecond: 1 } });
    const started = Date.now();
    const ids = await placeOrders('RATE', 10);
    await expectInvoiced(ids, 60_000);
    const seconds = (Date.now() - started) / 1000;
    const refused = (await metric(rateLimited)) - refusedBefore;
    expect(refused).toBeGreaterThan(0);
    // Each Retry-After (1 s) stops the bridge: at most one burst of refusals per second. A bridge that
    // retried on its own backoff (100 ms) would collect several bursts a second.
    expect(refused).toBeLessThanOrEqual(CONCURRENCY * (Math.ceil(seconds) + 1));
    await clearFaults();
    await drained();
    expect(await authorityTotal()).toBe(before + 10);
  });

  it('pauses on an expired client certificate, says so loudly, and resumes once it is renewed', async () => {
    const before = await authorityTotal();
    await setFaults({ certificateExpired: true });
    const ids = await placeOrders('CERT', 5);
    await eventually(async () => {
      const now = await status();
      return now.paused?.reason === 'certificate_expired' && now.queue.depth === 5;
    }, 15_000);
    expect((await status()).lastError?.message).toContain('SIM.CLIENT_CERTIFICATE_EXPIRED');
    expect(logs.some((line) => line.startsWith('tax-bridge|') && /client certificate/.test(line))).toBe(true);
    // Not a rejection: the orders wait for the operator.
    for (const id of ids) expect((await api.order(id)).status).not.toBe('INVOICE_REJECTED');

    await clearFaults();
    await expectInvoiced(ids, 30_000);
    await drained();
    expect(await authorityTotal()).toBe(before + 5);
  });
});
