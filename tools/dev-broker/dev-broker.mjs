// Starts the development Kafka broker (librdkafka's mock cluster, see README.md) as a child process and
// serves its fault injection over HTTP on loopback, so tests in other processes can reach it.
// Plain ESM JavaScript: the dev supervisor imports it, and so does the Jest global setup (CommonJS).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildMockBroker } from './build.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CONTRACTS = join(ROOT, 'dist/libs/contracts/src/index.js');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * ALL_TOPICS from the built contracts (libs/contracts/src/topics.ts), the one list of the platform's
 * topics. Runs the build first when dist/ has none.
 * @returns {readonly string[]}
 */
export function contractTopics({ log = () => {} } = {}) {
  if (!existsSync(CONTRACTS)) {
    log('dev-broker: dist/libs/contracts is missing; running tools/build/build.mjs');
    try {
      execFileSync(process.execPath, [join(ROOT, 'tools/build/build.mjs')], {
        cwd: ROOT,
        stdio: ['ignore', 2, 2],
      });
    } catch {
      throw new Error(
        'dev-broker: the topic list comes from the built contracts, and the build failed (output above)',
      );
    }
  }
  const { ALL_TOPICS } = createRequire(import.meta.url)(CONTRACTS);
  if (!Array.isArray(ALL_TOPICS) || ALL_TOPICS.length === 0)
    throw new Error(`dev-broker: no ALL_TOPICS in ${CONTRACTS}`);
  return ALL_TOPICS;
}

/**
 * @param {object} options
 * @param {readonly string[]} [options.topics] created at start with `partitions` partitions each
 * @param {number} [options.brokers] broker ids are 1..brokers; broker 1 is the controller
 * @param {number} [options.partitions]
 * @param {number} [options.port] first Kafka port (brokers listen on port..port+brokers-1); 0 = random
 * @param {number} [options.controlPort] HTTP control port; 0 = random
 * @param {(line: string) => void} [options.log]
 */
export async function startDevBroker({
  topics = [],
  brokers = 1,
  partitions = 3,
  port = 0,
  controlPort = 0,
  log = () => {},
} = {}) {
  const binary = await buildMockBroker({ log });
  const started = Date.now();
  const args = [
    '--brokers',
    String(brokers),
    '--partitions',
    String(partitions),
    '--port',
    String(port),
    ...topics,
  ];
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code));
    child.once('error', (err) => resolve(err.message));
  });
  let stopping;
  const stderr = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 20) stderr.shift();
    log(`dev-broker: ${line}`);
  });
  // The broker answers one OK/ERR line per command, in order.
  const pending = [];
  const lines = createInterface({ input: child.stdout });
  const bootstrap = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no BOOTSTRAP line within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /^BOOTSTRAP (\S+)$/.exec(line);
      match ? resolve(match[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
    exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`mock-broker exited with ${status}`));
    });
  }).catch((err) => {
    child.kill('SIGKILL');
    throw new Error(`dev-broker: ${err.message}\n${stderr.join('\n')}`);
  });
  lines.on('line', (line) => pending.shift()?.(line));
  let alive = true;
  exited.then((status) => {
    alive = false;
    for (const answer of pending.splice(0)) answer(`ERR mock-broker exited with ${status}`);
    if (!stopping) log(`dev-broker: mock-broker exited unexpectedly with ${status}`);
  });
  // Without this, a write after an unexpected exit would be an unhandled 'error' (EPIPE).
  child.stdin.on('error', () => {});

  const command = (line) =>
    new Promise((resolve, reject) => {
      if (!alive) return reject(new Error('dev-broker: mock-broker is not running'));
      pending.push((answer) =>
        answer === 'OK' ? resolve() : reject(new Error(`dev-broker: ${line}: ${answer}`)),
      );
      child.stdin.write(`${line}\n`);
    });

  const state = {
    bootstrap,
    partitions,
    topics: [...topics],
    brokers: Array.from({ length: brokers }, (_, i) => ({ id: i + 1, up: true, rttMs: 0 })),
  };
  // -1 addresses every broker, as in librdkafka's mock API.
  const brokerId = (id) => {
    if (id !== -1 && !state.brokers.some((b) => b.id === id)) {
      throw new TypeError(`broker id: -1 or 1..${brokers}, not ${JSON.stringify(id)}`);
    }
    return id;
  };
  const eachBroker = (id, update) => state.brokers.filter((b) => id === -1 || b.id === id).forEach(update);
  const broker = {
    bootstrap,
    async brokerDown(id) {
      await command(`down ${brokerId(id)}`);
      eachBroker(id, (b) => (b.up = false));
    },
    async brokerUp(id) {
      await command(`up ${brokerId(id)}`);
      eachBroker(id, (b) => (b.up = true));
    },
    async setRtt(id, ms) {
      await command(`rtt ${brokerId(id)} ${int(ms, 'ms', 0)}`);
      eachBroker(id, (b) => (b.rttMs = ms));
    },
    /** The next errorCodes.length requests with this Kafka API key fail, one Kafka error code each. */
    async pushErrors(apiKey, errorCodes) {
      if (!Array.isArray(errorCodes) || errorCodes.length === 0)
        throw new TypeError('errors: a non-empty array');
      await command(
        `errors ${int(apiKey, 'apiKey')} ${errorCodes.map((c) => int(c, 'error code')).join(' ')}`,
      );
    },
    async clearErrors(apiKey) {
      await command(`clear-errors ${int(apiKey, 'apiKey')}`);
    },
    /** Metadata reports the topic with this error code until it is set back to 0. */
    async setTopicError(topic, errorCode) {
      await command(`topic-error ${name(topic)} ${int(errorCode, 'error code')}`);
    },
    /** Undoes brokerDown, setRtt and pushErrors (not setTopicError) on every broker. */
    async reset() {
      await command('reset');
      eachBroker(-1, (b) => Object.assign(b, { up: true, rttMs: 0 }));
    },
    async createTopic(topic, topicPartitions = partitions) {
      await command(`topic ${name(topic)} ${int(topicPartitions, 'partitions')}`);
      state.topics.push(topic);
    },
  };

  const server = createServer((req, res) => {
    route(broker, state, req).then(
      (body) => reply(res, 200, body ?? { ok: true }),
      (err) => reply(res, err.status ?? (err instanceof TypeError ? 400 : 500), { error: err.message }),
    );
  });
  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(controlPort, '127.0.0.1', resolve);
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(
      `dev-broker: control interface cannot listen on 127.0.0.1:${controlPort}: ${err.message}`,
    );
  }
  const controlUrl = `http://127.0.0.1:${server.address().port}`;
  state.controlUrl = controlUrl;
  log(`dev-broker: Kafka at ${bootstrap}, control at ${controlUrl} (started in ${Date.now() - started} ms)`);

  return {
    ...broker,
    controlUrl,
    /** Stops the broker (its data is gone: it keeps everything in memory) and the control interface. */
    stop() {
      stopping ??= (async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(() => resolve()));
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function int(value, what, min = -Infinity) {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(
      `${what}: an integer${min > -Infinity ? ` >= ${min}` : ''}, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function name(topic) {
  if (typeof topic !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(topic)) {
    throw new TypeError(`topic: a Kafka topic name, not ${JSON.stringify(topic)}`);
  }
  return topic;
}

async function route(broker, state, req) {
  const url = new URL(req.url, 'http://control');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const key = `${req.method} ${path}`;
  let match;
  if (key === 'GET /') return state;
  const body = req.method === 'POST' ? await readJson(req) : {};
  if ((match = /^POST \/brokers\/(-?\d+)\/(down|up)$/.exec(key))) {
    return match[2] === 'down' ? broker.brokerDown(Number(match[1])) : broker.brokerUp(Number(match[1]));
  }
  if ((match = /^POST \/brokers\/(-?\d+)\/rtt$/.exec(key))) return broker.setRtt(Number(match[1]), body.ms);
  if (key === 'POST /errors') return broker.pushErrors(body.apiKey, body.errors);
  if ((match = /^DELETE \/errors\/(\d+)$/.exec(key))) return broker.clearErrors(Number(match[1]));
  if (key === 'POST /reset') return broker.reset();
  if (key === 'POST /topics') return broker.createTopic(body.name, body.partitions ?? state.partitions);
  if ((match = /^POST \/topics\/([^/]+)\/error$/.exec(key))) {
    return broker.setTopicError(decodeURIComponent(match[1]), body.code);
  }
  throw Object.assign(new Error(`no route ${key}`), { status: 404 });
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new TypeError('body: not JSON');
  }
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
