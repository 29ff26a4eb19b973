/**
 * Producers in other languages (README "Producing to fapiao from other languages"): the README's kcat
 * example, run as written against the test broker, is accepted by order and invoiced; order serves the
 * AsyncAPI document that is committed at docs/asyncapi.json, without a token.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { envelopeSchemaFor, HEADERS, InvoiceRequested, TOPICS } from '@fapiao/contracts';
import { eventually, readTopic, startTestSuite, SuiteApi, type Suite } from '@fapiao/testing';

const ROOT = join(__dirname, '../../..');
const MARKER = '<!-- asyncapi-producer-example:';

/** The shell block that follows the marker in README.md: exactly what a reader copies. */
export function readmeExample(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')): string {
  const after = readme.slice(readme.indexOf(MARKER));
  const block = /```sh\n([\s\S]*?)\n```/.exec(after);
  if (readme.indexOf(MARKER) < 0 || !block) throw new Error(`README.md: no \`\`\`sh block after ${MARKER}`);
  return block[1];
}

// kcat and jq from Debian's packages, installed when missing (root); otherwise the test says why it skips.
const ensure = spawnSync('bash', [join(ROOT, 'tools/asyncapi/ensure-kcat.sh')], { encoding: 'utf8' });
const withKcat = ensure.status === 0 ? it : it.skip;
if (ensure.status !== 0) {
  process.stderr.write(`asyncapi-producer: skipping the kcat example: ${ensure.stderr.trim()}\n`);
}

jest.setTimeout(180_000);

describe('producing invoice requests from another language', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;
  const logs: string[] = [];

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 950,
      dbPrefix: 'e2e_asyncapi_',
      extra: { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_RETRY_DELAY_MS: '200' },
      log: (service, line) => logs.push(`${service}| ${line}`),
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${logs.slice(-40).join('\n')}`);
    });
    api = await SuiteApi.connect(suite);
  });

  afterAll(() => suite?.dispose());

  it('serves the committed AsyncAPI document at /docs/asyncapi.json without a token', async () => {
    const response = await fetch(`${api.url('order')}/docs/asyncapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const committed: unknown = JSON.parse(readFileSync(join(ROOT, 'docs/asyncapi.json'), 'utf8'));
    expect(await response.json()).toEqual(committed);
  });

  withKcat('accepts and invoices the request that the README’s kcat example produces', async () => {
    const example = readmeExample();
    expect(example).toMatch(/\bkcat -P\b/);
    const { stderr } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', example], {
      env: {
        ...process.env,
        KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '',
        TENANT_ID: suite.credentials.tenantId,
      },
      timeout: 30_000,
    });
    expect(stderr).not.toMatch(/error/i);

    // On the topic: the key, headers and value the AsyncAPI document describes.
    const isOurs = (value: string | null) => value?.includes(suite.credentials.tenantId) ?? false;
    const sent = (await readTopic(TOPICS.invoiceRequests, (seen) => seen.some((m) => isOurs(m.value)))).find(
      (m) => isOurs(m.value),
    );
    const envelope = envelopeSchemaFor(InvoiceRequested).parse(JSON.parse(sent?.value ?? '')) as {
      key: string;
      payload: { requestId: string; externalId: string };
    };
    expect(sent?.key).toBe(envelope.key);
    expect(envelope.key).toBe(envelope.payload.requestId);
    expect(sent?.headers).toMatchObject({ [HEADERS.type]: 'InvoiceRequested', [HEADERS.version]: '1' });

    // Accepted as an order of the tenant, and invoiced by the authority.
    const find = async () =>
      (
        await api.request<{ items: { id: string; externalId: string }[] }>('order', '/v1/orders?pageSize=200')
      ).body.items.filter((order) => order.externalId === envelope.payload.externalId);
    await eventually(async () => (await find()).length === 1, 30_000);
    const [{ id }] = await find();
    await eventually(async () => (await api.order(id)).status === 'INVOICED', 60_000, 500);
    const { body } = await api.request<{ items: { status: string; number: string | null }[] }>(
      'invoice',
      `/v1/invoices?orderId=${id}`,
    );
    expect(body.items).toEqual([
      expect.objectContaining({ status: 'ISSUED', number: expect.stringMatching(/^\d{20}$/) }),
    ]);
  });
});
