// After the faults: waits until the system is quiet, then reads what every side says — the services' own
// APIs, the authority's records, the dead-letter topics and the supervisor — for check.mjs.
import { Kafka, logLevel } from 'kafkajs';
import { TERMINAL_ORDER } from './check.mjs';
import { HEADERS, TOPICS, deadLetterTopic } from './contracts.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const OPEN_SAGA_STATES = ['RUNNING', 'COMPENSATING', 'NEEDS_ATTENTION'];
const DEAD_LETTER_TOPICS = Object.values(TOPICS).map(deadLetterTopic);

/** Every page of a list endpoint (`items`, `total`), 200 at a time; throws after retries. */
async function all(http, service, path, { auth = true } = {}) {
  const items = [];
  for (let page = 1; ; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const body = await ok(http, service, `${path}${separator}page=${page}&pageSize=200`, { auth });
    items.push(...body.items);
    if (body.items.length < 200 || items.length >= body.total) return items;
  }
}

/** A GET answered 200 (retried while the system still recovers), or `missing` for 404. */
async function ok(http, service, path, { auth = true, missing } = {}) {
  for (let attempt = 0; ; attempt++) {
    const response = await http.request(service, path, { auth });
    if (response.status === 200) return response.body;
    if (response.status === 404 && missing !== undefined) return missing;
    if (attempt >= 20)
      throw new Error(`GET ${service} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    await sleep(500);
  }
}

/** `fn` over `items`, `width` at a time. */
async function pool(items, width, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

const runOrders = async (http, prefix) =>
  (await all(http, 'order', '/v1/orders')).filter((order) => order.externalId.startsWith(prefix));

/**
 * Polls until every order of the run is terminal, no saga is open and tax-bridge's queue is empty, or
 * `timeoutMs` passes. Resolves with how long it took and what was still moving at the end.
 */
export async function waitQuiet({ http, prefix, expectedOrders, timeoutMs, onProgress }) {
  const started = Date.now();
  let last = {};
  while (Date.now() - started < timeoutMs) {
    try {
      const orders = await runOrders(http, prefix);
      const moving = orders.filter((order) => !TERMINAL_ORDER.includes(order.status)).length;
      const sagas = await openSagas(http);
      const queue = (await ok(http, 'tax-bridge', '/v1/authority/status')).queue.depth;
      last = {
        orders: orders.length,
        moving,
        sagas: sagas.filter((s) => s.state !== 'NEEDS_ATTENTION').length,
        queue,
      };
      onProgress?.(last);
      if (orders.length >= expectedOrders && moving === 0 && last.sagas === 0 && queue === 0) {
        return { quiet: true, ms: Date.now() - started, last };
      }
    } catch {
      // a service still restarting: ask again
    }
    await sleep(1000);
  }
  return { quiet: false, ms: Date.now() - started, last };
}

async function openSagas(http) {
  const sagas = [];
  for (const state of OPEN_SAGA_STATES)
    sagas.push(...(await all(http, 'invoice', `/v1/sagas?state=${state}`)));
  return sagas;
}

/** The facts check.mjs needs; `since` bounds the authority's records to the run. */
export async function collectFacts({ http, prefix, sellerTaxId, since, kafkaBrokers, owned }) {
  const orders = await runOrders(http, prefix);
  const orderIds = new Set(orders.map((order) => order.id));
  const summaries = (await all(http, 'invoice', '/v1/invoices')).filter((invoice) =>
    orderIds.has(invoice.orderId),
  );
  const invoices = await pool(summaries, 8, (invoice) => ok(http, 'invoice', `/v1/invoices/${invoice.id}`));
  const authority = await all(
    http,
    'tax-authority-sim',
    `/v1/invoices?sellerTaxId=${sellerTaxId}&from=${encodeURIComponent(since)}`,
    { auth: false },
  );
  const sagas = (await openSagas(http)).filter((saga) => owned || orderIds.has(saga.data?.orderId));
  const discrepancies = (
    await all(http, 'reconciliation', '/v1/reconciliation/discrepancies?state=open')
  ).filter((discrepancy) => orderIds.has(discrepancy.orderId));
  const reconList = await pool(orders, 8, (order) =>
    ok(http, 'reconciliation', `/v1/reconciliation/orders/${order.id}`, { missing: null }),
  );
  const recon = Object.fromEntries(orders.map((order, i) => [order.id, reconList[i]]));
  // Only the run's: an attached suite's .dlq topics may hold messages of earlier days.
  const deadLetters = kafkaBrokers
    ? (await readDeadLetters(kafkaBrokers)).filter((message) => message.at >= Date.parse(since))
    : [];
  return { orders, invoices, authority, sagas, discrepancies, recon, deadLetters };
}

/** Every message on every `.dlq` topic, with the reason the runtime put in its headers. */
export async function readDeadLetters(kafkaBrokers) {
  const kafka = new Kafka({
    clientId: 'fapiao-chaos-check',
    brokers: kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = {};
  try {
    for (const topic of DEAD_LETTER_TOPICS) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const remaining = offsets.filter((p) => Number(p.high) > Number(p.low));
      if (remaining.length)
        ends[topic] = Object.fromEntries(remaining.map((p) => [p.partition, Number(p.high)]));
    }
  } finally {
    await admin.disconnect();
  }
  if (Object.keys(ends).length === 0) return [];
  const consumer = kafka.consumer({ groupId: `fapiao-chaos-check-${Date.now()}` });
  const messages = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: Object.keys(ends), fromBeginning: true });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('reading the .dlq topics took over 30 s')), 30_000);
      const left = new Set(
        Object.entries(ends).flatMap(([topic, parts]) => Object.keys(parts).map((p) => `${topic}/${p}`)),
      );
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const header = (name) => message.headers?.[name]?.toString();
            messages.push({
              topic,
              key: message.key?.toString() ?? null,
              at: Number(message.timestamp),
              code: header(HEADERS.errorCode) ?? null,
              error: header(HEADERS.error) ?? null,
            });
            if (Number(message.offset) + 1 >= ends[topic][partition]) left.delete(`${topic}/${partition}`);
            if (left.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
