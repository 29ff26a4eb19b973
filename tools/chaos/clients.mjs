// The clients of a chaos run, as real ones behave: HTTP callers that retry with their Idempotency-Key after
// an error and sometimes replay a success, internal producers that send a request id twice, and the
// follow-ups (cancel, partial reversal, the buyer confirming a red-letter form). Every attempt goes into the
// history with its outcome and time.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from './contracts.mjs';
import { sampleOrderBody } from '../lib/sample-order.mjs';
import { PARTIAL } from './plan.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Retry delay after the n-th failed attempt: 250 ms doubling to 4 s, with jitter (timing is not seeded). */
const retryDelay = (attempt) => Math.min(4000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random());
/** Answers a client retries: the service or a dependency is unavailable, or it asks to come back later. */
const retriable = (status) => status === 0 || status === 408 || status === 429 || status >= 500;
/** A 409 that says the resource changed under the request (`*.CONCURRENT_UPDATE`): send it again. */
const concurrent = (response) => /\.CONCURRENT_UPDATE$/.test(response.body?.code ?? '');

/**
 * HTTP to the suite with the demo tenant's token (the simulator's control routes: with `simAdmin` headers
 * and `auth: false`); a network error or timeout is status 0.
 */
export class Http {
  #token;
  constructor(urls, credentials, simAdminToken) {
    this.urls = urls;
    this.credentials = credentials;
    this.simAdmin = simAdminToken ? { authorization: `Bearer ${simAdminToken}` } : {};
  }

  async #fetchToken() {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
    });
    const response = await fetch(`${this.urls.auth}/oauth/token`, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(5000),
    });
    if (response.status !== 200) throw new Error(`token: HTTP ${response.status}`);
    this.#token = (await response.json()).access_token;
  }

  async request(service, path, options = {}) {
    const response = await this.#send(service, path, options);
    // An expired token: fetch a new one and send again, once, as an OAuth client does.
    if (response.status !== 401 || options.auth === false) return response;
    this.#token = undefined;
    return this.#send(service, path, options);
  }

  async #send(service, path, { method = 'GET', body, headers = {}, auth = true }) {
    try {
      if (auth && !this.#token) await this.#fetchToken();
      const response = await fetch(`${this.urls[service]}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(auth ? { authorization: `Bearer ${this.#token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      let parsed;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = { text };
      }
      return { status: response.status, body: parsed, headers: response.headers };
    } catch (error) {
      return { status: 0, body: { code: error.cause?.code ?? error.name }, headers: new Headers() };
    }
  }
}

/**
 * Runs every planned order's client at its planned moment; resolves with one record per order once every
 * client has finished (accepted and followed up, or given up at `deadline()`).
 */
export async function runClients({
  plan,
  http,
  kafkaBrokers,
  tenantId,
  runId,
  history,
  now,
  deadline,
  onAccepted,
}) {
  const kafka = new Kafka({
    clientId: 'fapiao-chaos',
    brokers: kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  let connected;
  const connect = () =>
    (connected ??= producer.connect().catch((error) => ((connected = undefined), Promise.reject(error))));
  const record = (entry) => history.push({ t: now(), ...entry });

  const clients = plan.orders.map(async (planned) => {
    const started = now();
    if (planned.atMs > started) await sleep(planned.atMs - started);
    const externalId = `CHAOS-${runId}-${planned.index}`;
    const result = { ...planned, externalId, id: null, accepted: false, violations: [] };
    const body = sampleOrderBody(externalId, planned.unitPrice);
    if (planned.channel === 'kafka') {
      await produce(result, body);
    } else {
      await place(result, body);
      if (result.accepted && planned.replay) await replay(result, body);
      if (result.accepted) await followUp(result);
    }
    result.finishedMs = now();
    return result;
  });

  /** InvoiceRequested on fapiao.invoice-requests.v1, once or twice (two messages, one request id). */
  async function produce(result, body) {
    const requestId = `REQ-${result.externalId}`;
    const envelope = () => ({
      id: randomUUID(),
      type: 'InvoiceRequested',
      version: 1,
      occurredAt: new Date().toISOString(),
      tenantId,
      key: requestId,
      causationId: null,
      correlationId: requestId,
      payload: { requestId, ...body },
    });
    for (let copy = 0; copy < (result.duplicate ? 2 : 1); copy++) {
      for (let attempt = 0; ; attempt++) {
        const sent = now();
        try {
          await connect();
          await producer.send({
            topic: TOPICS.invoiceRequests,
            acks: -1,
            messages: [{ key: requestId, value: JSON.stringify(envelope()) }],
          });
          record({
            order: result.index,
            op: copy ? 'produce-again' : 'produce',
            outcome: 'acked',
            ms: now() - sent,
          });
          result.accepted = true;
          break;
        } catch (error) {
          record({
            order: result.index,
            op: 'produce',
            outcome: 'error',
            code: error.type ?? error.name,
            ms: now() - sent,
          });
          if (now() > deadline()) {
            result.violations.push({
              invariant: 'client-answers',
              detail: `the broker never acknowledged request ${requestId} (${error.message})`,
            });
            return;
          }
          await sleep(retryDelay(attempt));
        }
      }
    }
    onAccepted?.();
  }

  /**
   * Sends until the answer is a success, or neither retriable nor `again` (the API's own "come back later"),
   * or the clients' deadline has passed; records every attempt. Resolves with the last answer.
   */
  async function untilAnswered(result, op, send, again = () => false) {
    for (let attempt = 0; ; attempt++) {
      const sent = now();
      const response = await send();
      record({
        order: result.index,
        op,
        outcome: outcome(response),
        status: response.status,
        code: response.body?.code,
        ms: now() - sent,
      });
      const answered = response.status >= 200 && response.status < 300;
      const repeat = retriable(response.status) || concurrent(response) || again(response);
      if (answered || !repeat || now() > deadline()) return response;
      await sleep(retryDelay(attempt));
    }
  }

  function postOrder(result, body) {
    return () =>
      http.request('order', '/v1/orders', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': result.key },
      });
  }

  /** POST /v1/orders until it is answered 201, or a 4xx says it never will be. */
  async function place(result, body) {
    result.key = `chaos-${runId}-${result.index}`;
    const response = await untilAnswered(result, 'place', postOrder(result, body));
    if (response.status === 201) {
      result.id = response.body.id;
      result.accepted = true;
      onAccepted?.();
    } else {
      // A valid order refused, or never answered 201 before the clients gave up.
      result.violations.push({
        invariant: 'client-answers',
        detail: `order never accepted: last answer ${response.status} ${response.body?.code ?? ''}`.trim(),
      });
    }
  }

  /** The same key and body again: the same order must come back, marked as a replay. */
  async function replay(result, body) {
    await sleep(Math.random() * 3000);
    const response = await untilAnswered(result, 'replay', postOrder(result, body));
    const replayed = response.headers.get('idempotent-replayed');
    if (response.status !== 201) {
      result.violations.push({
        invariant: 'client-answers',
        detail: `replay answered ${response.status} ${response.body?.code ?? ''}`,
      });
    } else if (response.body.id !== result.id || replayed !== 'true') {
      result.violations.push({
        invariant: 'intake-once',
        detail: `replay of key ${result.key} answered order ${response.body.id} (replayed: ${replayed}), first answer was ${result.id}`,
      });
    }
  }

  async function followUp(result) {
    switch (result.followUp) {
      case 'early-cancel':
        await sleep(Math.random() * 2000);
        return cancel(result);
      case 'cancel':
        return (await invoiced(result)) && cancel(result);
      case 'partial':
        return (await invoiced(result)) && reversePartially(result);
      case 'partial-then-cancel':
        return (await invoiced(result)) && (await reversePartially(result)) && cancel(result);
    }
  }

  /** Polls the order until it is invoiced (what a client waits for before acting on the invoice). */
  async function invoiced(result) {
    while (now() < deadline()) {
      const { status, body } = await http.request('order', `/v1/orders/${result.id}`);
      if (status === 200 && body.status === 'INVOICED') {
        result.invoiceId = body.invoiceId;
        return true;
      }
      if (status === 200 && body.status === 'INVOICE_REJECTED') return false;
      await sleep(1000);
    }
    result.violations.push({
      invariant: 'client-answers',
      detail: 'never INVOICED before the clients gave up',
    });
    return false;
  }

  /** POST /v1/orders/:id/cancel, again after 409 INVOICING (the API's own advice) or an error. */
  async function cancel(result) {
    const response = await untilAnswered(
      result,
      'cancel',
      () => http.request('order', `/v1/orders/${result.id}/cancel`, { method: 'POST', body: {} }),
      (refused) => refused.body?.code === 'ORDER.NOT_CANCELLABLE',
    );
    if (response.status !== 200) {
      result.violations.push({
        invariant: 'client-answers',
        detail: `cancel answered ${response.status} ${response.body?.code ?? ''}`,
      });
      return false;
    }
    result.cancelled = true;
    result.invoiceId ??= response.body.invoiceId;
    if (response.body.status === 'CANCELLING') await confirmForms(result, 'order-cancelled');
    return true;
  }

  /** 100.00 net of line 1 back, with an Idempotency-Key; the buyer confirms the form; waits for the red invoice. */
  async function reversePartially(result) {
    const response = await untilAnswered(result, 'reverse', () =>
      http.request('invoice', `/v1/invoices/${result.invoiceId}/reverse`, {
        method: 'POST',
        body: PARTIAL,
        headers: { 'idempotency-key': `chaos-${runId}-${result.index}-partial` },
      }),
    );
    if (response.status !== 202 && response.status !== 200) {
      result.violations.push({
        invariant: 'client-answers',
        detail: `partial reversal answered ${response.status} ${response.body?.code ?? ''}`,
      });
      return false;
    }
    result.partialReversalId = response.body.id;
    return confirmForms(result, 'request');
  }

  /**
   * Acts as the buyer: confirms at the authority every form of `cause` that awaits it, until no reversal of
   * that cause is open. True once one of them is REVERSED.
   */
  async function confirmForms(result, cause) {
    const confirmed = new Set();
    while (now() < deadline()) {
      const { status, body } = await http.request('invoice', `/v1/invoices/${result.invoiceId}`);
      const mine = status === 200 ? body.reversals.filter((r) => r.cause === cause) : [];
      for (const reversal of mine) {
        if (reversal.status !== 'AWAITING_CONFIRMATION' || confirmed.has(reversal.form.id)) continue;
        const sent = now();
        const answer = await http.request(
          'tax-authority-sim',
          `/v1/red-letter-forms/${reversal.form.id}/confirm`,
          {
            method: 'POST',
            body: { by: 'buyer' },
            auth: false,
            headers: http.simAdmin,
          },
        );
        record({
          order: result.index,
          op: 'confirm-form',
          outcome: outcome(answer),
          status: answer.status,
          code: answer.body?.code,
          ms: now() - sent,
        });
        if (answer.status === 200 || answer.body?.code === 'SIM.RED_LETTER_INVALID_TRANSITION')
          confirmed.add(reversal.form.id);
      }
      if (mine.some((r) => r.status === 'REVERSED')) return true;
      if (mine.length > 0 && mine.every((r) => r.status === 'REFUSED')) return false;
      await sleep(1000);
    }
    result.violations.push({
      invariant: 'client-answers',
      detail: `the ${cause} reversal of invoice ${result.invoiceId} did not finish before the clients gave up`,
    });
    return false;
  }

  const results = await Promise.all(clients);
  await producer.disconnect().catch(() => {});
  return results;
}

const outcome = (response) =>
  response.status === 0
    ? 'no-answer'
    : response.status < 300
      ? 'ok'
      : retriable(response.status)
        ? 'retry'
        : 'refused';

/** Messages no consumer can parse, planted so the run shows dead-lettering with its reason. */
export async function plantPoison(kafkaBrokers, keys) {
  const kafka = new Kafka({
    clientId: 'fapiao-chaos',
    brokers: kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic: TOPICS.invoiceRequests,
      acks: -1,
      messages: keys.map((key) => ({ key, value: `not json: planted by the chaos run (${key})` })),
    });
  } finally {
    await producer.disconnect();
  }
}
