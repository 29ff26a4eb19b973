/**
 * The ops console in headless Chromium (Debian's `chromium`, driven by playwright-core) against the whole
 * suite, every service a process (issue 16 item 2): an operator logs in with a client's token, sees a saga
 * that needs attention, retries it and sees it complete; sees a dead letter, redrives it and sees the order
 * invoiced. `FAPIAO_SCREENSHOTS=1` writes the README's screenshots to docs/images/ops-console-*.png.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TOPICS } from '@fapiao/contracts';
import {
  envelopeMessage,
  eventually,
  fetchToken,
  MYSQL_URL,
  produceRaw,
  sampleOrder,
  startTestSuite,
  SuiteApi,
  type Suite,
} from '@fapiao/testing';

jest.setTimeout(240_000);

const DB_PREFIX = 'e2e_console_';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env['FAPIAO_SCREENSHOTS']
  ? join(__dirname, '../../../docs/images')
  : mkdtempSync(join(tmpdir(), 'fapiao-console-'));
/** A seller no other tenant of this suite has (a valid USCC, GB 32100-2015). */
const SELLER_B = '91110000802100433B';
const run = randomUUID().slice(0, 8);
const UI_TIMEOUT_MS = 60_000;

describe('ops console in a browser', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;
  let browser: Browser;
  let page: Page;
  let consoleUrl: string;

  const sim = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${api.url('tax-authority-sim')}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${suite.simAdminToken}`, 'content-type': 'application/json' },
    });
    expect(response.ok).toBe(true);
  };
  const sql = async <T>(schema: string, statement: string, values: unknown[]): Promise<T[]> => {
    const connection = await createConnection({ uri: MYSQL_URL, database: `${DB_PREFIX}${schema}` });
    try {
      return (await connection.query(statement, values))[0] as T[];
    } finally {
      await connection.end();
    }
  };
  const shoot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `ops-console-${name}.png`), fullPage: true });
  const logIn = async (fill: (page: Page) => Promise<void>) => {
    await page.goto(consoleUrl);
    await fill(page);
    await page.getByTestId('login').click();
    await page.getByTestId('who').waitFor();
  };
  /** Clicks `refresh` until `testId` shows `text`: views a service changes behind the operator's back. */
  const refreshUntil = (refresh: string, testId: string, text: string) =>
    eventually(
      async () => {
        await page.getByTestId(refresh).click();
        return (
          (await page.getByTestId(testId).first().textContent({ timeout: 1_000 }))?.includes(text) ?? false
        );
      },
      UI_TIMEOUT_MS,
      1_000,
    );

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run tools/browser/ensure-chromium.sh (or set CHROMIUM_PATH)`);
    suite = await startTestSuite({
      portOffset: 1600,
      dbPrefix: DB_PREFIX,
      console: true,
      extra: {
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        CONSUMER_RETRY_DELAY_MS: '200',
        CONSUMER_LOCAL_RETRIES: '1',
        CONSUMER_RETRY_ROUNDS: '1',
        INVOICE_SUBMISSION_TIMEOUT_MS: '5000',
        RECON_SWEEP_INTERVAL_MS: '1000',
        TAX_AUTHORITY_TIMEOUT_MS: '1000',
        TAX_RETRY_BASE_MS: '100',
        TAX_RETRY_CAP_MS: '1000',
        TAX_CIRCUIT_HALF_OPEN_MS: '1000',
        OPS_JAEGER_UI_URL: 'http://jaeger.example:16686',
      },
    });
    api = await SuiteApi.connect(suite);
    consoleUrl = SuiteApi.urlOf(suite, 'ops-console');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.dispose();
  });

  it('shows a saga that needs attention; the operator retries it and sees it complete', async () => {
    // The authority refuses everything: the invoice's saga waits in AWAITING_AUTHORITY.
    await sim('/v1/faults', { method: 'POST', body: JSON.stringify({ errorRate: 1 }) });
    const placed = await api.placeOrder(sampleOrder(`CONSOLE-SAGA-${run}`), randomUUID());
    expect(placed.status).toBe(201);
    let sagaId = '';
    await eventually(async () => {
      const [row] = await sql<{ id: string }>(
        'fapiao_invoice',
        "SELECT id FROM saga_instances WHERE state = 'RUNNING' AND data LIKE ?",
        [`%${placed.body.id}%`],
      );
      sagaId = row?.id ?? '';
      return sagaId !== '';
    }, 30_000);
    // Its attempts used up, as the saga sweeper records it (the issuance step itself never gives up).
    const [{ seq }] = await sql<{ seq: number }>(
      'fapiao_invoice',
      'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM saga_history WHERE saga_id = ?',
      [sagaId],
    );
    await sql(
      'fapiao_invoice',
      "UPDATE saga_instances SET state = 'NEEDS_ATTENTION', deadline_at = NULL, last_error = ?, " +
        "version = version + 1 WHERE id = ? AND state = 'RUNNING'",
      ['authority unreachable (test)', sagaId],
    );
    await sql(
      'fapiao_invoice',
      'INSERT INTO saga_history (saga_id, seq, at, from_state, to_state, step, event, detail) ' +
        "VALUES (?, ?, NOW(3), 'RUNNING', 'NEEDS_ATTENTION', 'AWAITING_AUTHORITY', 'step_timeout_failed', ?)",
      [sagaId, seq, 'attempt 5/5: authority unreachable (test)'],
    );

    // The demo tenant's operator pastes a token.
    const token = await fetchToken(api.url('auth'), suite.credentials);
    await logIn((page) => page.getByTestId('token').fill(token));
    const row = page.locator(`[data-saga="${sagaId}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await shoot('sagas');
    await row.click();
    await page.getByTestId('saga-state-value').getByText('NEEDS_ATTENTION').waitFor();
    expect(await page.getByTestId('trace-link').getAttribute('href')).toContain(
      encodeURIComponent(`"fapiao.order_id":"${placed.body.id}"`),
    );

    await page.getByTestId('saga-note').fill('authority back, retried from the console');
    await page.getByTestId('saga-retry').click();
    // Retried before the authority is back, so only the retry can complete the saga.
    await page.getByTestId('saga-state-value').getByText('RUNNING').waitFor();
    await sim('/v1/faults', { method: 'DELETE' });
    await page.getByTestId('saga-state-value').getByText('COMPLETED').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('saga-history').getByText('authority back, retried from the console').waitFor();
    await shoot('saga-retried');
    expect((await api.order(placed.body.id)).status).toBe('INVOICED');
    await page.getByRole('button', { name: 'Authority', exact: true }).click();
    await page.getByTestId('circuit').waitFor();
    await shoot('authority');
  });

  it('shows a dead letter; once its tenant exists the operator redrives it and sees the order invoiced', async () => {
    // An internal system requests an invoice for a tenant auth does not know yet: dead-lettered.
    const tenantId = randomUUID();
    const requestId = `REQ-CONSOLE-${run}`;
    const externalId = `CONSOLE-DL-${run}`;
    const envelopeId = randomUUID();
    await produceRaw(TOPICS.invoiceRequests, [
      envelopeMessage('InvoiceRequested', {
        id: envelopeId,
        tenantId,
        key: requestId,
        payload: { requestId, ...sampleOrder(externalId) },
      }),
    ]);
    await eventually(
      async () =>
        (
          await sql('fapiao_order', "SELECT id FROM dead_letters WHERE tenant_id = ? AND state = 'DEAD'", [
            tenantId,
          ])
        ).length === 1,
      60_000,
    );

    // The cause is fixed: the tenant is onboarded (with that id, as a migration from another system would)
    // and given an operator client.
    await sql(
      'fapiao_auth',
      'INSERT INTO tenants (id, name, seller_tax_id, created_at) VALUES (?, ?, ?, NOW(3))',
      [tenantId, `console tenant ${run}`, SELLER_B],
    );
    const platformToken = await fetchToken(api.url('auth'), suite.platformCredentials);
    const created = await fetch(`${api.url('auth')}/v1/tenants/${tenantId}/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'operator',
        scopes: ['ops:read', 'ops:write', 'orders:read', 'invoices:read'],
      }),
    });
    expect(created.status).toBe(201);
    const operator = (await created.json()) as { clientId: string; clientSecret: string };

    // The tenant's operator logs in with the client's id and secret (exchanged through the console).
    await page.evaluate(() => sessionStorage.clear());
    await logIn(async (page) => {
      await page.getByTestId('client-id').fill(operator.clientId);
      await page.getByTestId('client-secret').fill(operator.clientSecret);
    });
    await page.getByRole('button', { name: 'Dead letters', exact: true }).click();
    await page.getByText('TENANT.UNKNOWN').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('[data-dead-letter]').first().click();
    // The payload as the API returns it: the buyer's name and tax id masked.
    const payload = (await page.getByTestId('dl-payload').textContent()) ?? '';
    expect(payload).toContain(externalId);
    expect(payload).not.toContain(sampleOrder(externalId).buyer.taxId);
    await page.getByTestId('dl-dry-run').click();
    await page.getByTestId('dl-result').getByText('would redrive 1').waitFor();
    await shoot('dead-letter');
    await page.getByTestId('dl-redrive').click();
    await page.getByTestId('dl-state').getByText('REDRIVEN').waitFor();

    let orderId = '';
    await eventually(async () => {
      const rows = await sql<{ id: string }>('fapiao_order', 'SELECT id FROM orders WHERE external_id = ?', [
        externalId,
      ]);
      orderId = rows[0]?.id ?? '';
      return orderId !== '';
    }, UI_TIMEOUT_MS);
    await page.getByRole('button', { name: 'Order', exact: true }).click();
    await page.getByTestId('order-id').fill(orderId);
    await refreshUntil('order-refresh', 'order-status', 'INVOICED');
    await refreshUntil('order-refresh', 'order-reconciliation', '"MATCHED"');
    await shoot('order');
    // Exactly once: the redriven message kept its id.
    expect(
      await sql('fapiao_order', 'SELECT id FROM orders WHERE tenant_id = ? AND external_id = ?', [
        tenantId,
        externalId,
      ]),
    ).toHaveLength(1);
  });
});
