// The measuring half of `fapiao doctor`: DNS, TCP, TLS, HTTP and Kafka, each timed and never throwing —
// a probe returns what it saw (or the error), checks.mjs judges it.
import { lookup } from 'node:dns/promises';
import { isIP, connect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

export const TIMEOUT_MS = 3000;

const timed = async (work) => {
  const started = performance.now();
  try {
    return { ...(await work()), ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
};

export function dnsProbe(host) {
  if (isIP(host)) return Promise.resolve({ host, literal: true, ms: 0 });
  return timed(async () => ({
    host,
    addresses: (await lookup(host, { all: true })).map((a) => a.address),
  })).then((r) => ({ host, ...r }));
}

export function tcpProbe(host, port, timeoutMs = TIMEOUT_MS) {
  return timed(
    () =>
      new Promise((resolve, reject) => {
        const socket = connect({ host, port, timeout: timeoutMs });
        socket.once('connect', () => {
          socket.destroy();
          resolve({});
        });
        socket.once('timeout', () => {
          socket.destroy();
          reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
        });
        socket.once('error', reject);
      }),
  ).then((r) => ({ host, port, ...r }));
}

const commonName = (name) => (name && (name.CN ?? Object.values(name).join(','))) || '?';

/**
 * Handshake without trusting first, then says what a trusting client would think: chain, expiry, host.
 * `ca`: extra trusted certificates (else Node's roots and NODE_EXTRA_CA_CERTS).
 */
export function tlsProbe(host, port, { timeoutMs = TIMEOUT_MS, ca } = {}) {
  return timed(
    () =>
      new Promise((resolve, reject) => {
        const socket = tlsConnect({
          host,
          port,
          servername: isIP(host) ? undefined : host,
          rejectUnauthorized: false,
          ...(ca ? { ca } : {}),
          timeout: timeoutMs,
        });
        socket.once('secureConnect', () => {
          const peer = socket.getPeerCertificate(true);
          const chain = [];
          for (let c = peer, seen = new Set(); c && c.subject && !seen.has(c); c = c.issuerCertificate) {
            seen.add(c);
            chain.push(commonName(c.subject));
          }
          const identityError = checkServerIdentity(host, peer);
          resolve({
            cert: {
              subject: commonName(peer.subject),
              issuer: commonName(peer.issuer),
              validTo: new Date(peer.valid_to).toISOString(),
              chain,
              authorized: socket.authorized,
              authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
              hostnameError: identityError ? identityError.message : null,
            },
          });
          socket.destroy();
        });
        socket.once('timeout', () => {
          socket.destroy();
          reject(Object.assign(new Error(`no handshake within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
        });
        socket.once('error', reject);
      }),
  ).then((r) => ({ host, port, ...r }));
}

/** GET (or POST) with a deadline; the body parsed as JSON when it is, else kept as text. */
export function httpProbe(url, { token, timeoutMs = TIMEOUT_MS, method = 'GET', body, headers = {} } = {}) {
  return timed(async () => {
    const response = await fetch(url, {
      method,
      body,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: metrics, or an HTML error page
    }
    return { status: response.status, body: parsed };
  }).then((r) => (r.error?.cause ? { ...r, error: r.error.cause } : r));
}

/** A client_credentials token from auth; throws with auth's answer. */
export async function fetchToken(authUrl, { clientId, clientSecret }) {
  const response = await httpProbe(`${authUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  if (response.error) throw response.error;
  if (response.status !== 200) {
    throw new Error(`${authUrl}/oauth/token answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.access_token;
}

/**
 * Everything doctor reads from Kafka through one kafkajs admin client: cluster metadata, every fapiao
 * consumer group's committed offsets against the topics' end offsets, and the depth of every `.dlq` topic.
 */
export async function kafkaProbe(brokers, { timeoutMs = TIMEOUT_MS, groupPrefix = 'fapiao-' } = {}) {
  const kafka = new Kafka({
    clientId: 'fapiao-doctor',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs * 2,
    retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1000 },
  });
  const admin = kafka.admin();
  const out = {};
  const started = performance.now();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const topics = await admin.listTopics();
    out.metadata = {
      cluster: {
        clusterId: cluster.clusterId,
        controller: cluster.controller,
        brokers: cluster.brokers.map(({ host, port }) => ({ host, port })),
      },
      topics,
      ms: performance.now() - started,
    };
  } catch (error) {
    out.metadata = { error, ms: performance.now() - started };
    await admin.disconnect().catch(() => {});
    return out;
  }

  const endOffsets = new Map();
  const offsetsOf = async (topic) => {
    if (!endOffsets.has(topic)) endOffsets.set(topic, await admin.fetchTopicOffsets(topic));
    return endOffsets.get(topic);
  };

  const lagStarted = performance.now();
  try {
    const { groups } = await admin.listGroups();
    const ids = groups
      .map((g) => g.groupId)
      .filter((id) => id.includes(groupPrefix))
      .sort();
    const described = ids.length ? (await admin.describeGroups(ids)).groups : [];
    const result = [];
    for (const group of described) {
      const committed = await admin.fetchOffsets({ groupId: group.groupId });
      const topics = [];
      for (const { topic, partitions } of committed) {
        const ends = await offsetsOf(topic);
        let lag = 0;
        for (const { partition, offset } of partitions) {
          const end = ends.find((e) => e.partition === partition);
          if (!end || Number(offset) < 0) continue;
          lag += Math.max(0, Number(end.high) - Number(offset));
        }
        topics.push({ topic, lag, partitions: partitions.length });
      }
      result.push({ groupId: group.groupId, state: group.state, members: group.members.length, topics });
    }
    out.lag = { groups: result, ms: performance.now() - lagStarted };
  } catch (error) {
    out.lag = { error, ms: performance.now() - lagStarted };
  }

  const dlqStarted = performance.now();
  try {
    const dlqs = out.metadata.topics.filter((t) => t.endsWith('.dlq')).sort();
    const depths = [];
    for (const topic of dlqs) {
      const offsets = await offsetsOf(topic);
      depths.push({ topic, depth: offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0) });
    }
    out.deadLetters = { topics: depths, ms: performance.now() - dlqStarted };
  } catch (error) {
    out.deadLetters = { error, ms: performance.now() - dlqStarted };
  }
  await admin.disconnect().catch(() => {});
  return out;
}
