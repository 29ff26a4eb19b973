// Apache Kafka (KRaft, one node that is broker and controller) for `npm start`, the tests and the
// benchmark: the jars come from Maven Central through pom.xml and are cached per version; the broker runs
// as a child process on loopback. Plain ESM JavaScript: the dev supervisor imports it, and so does the Jest
// global setup (CommonJS).
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../lib/ports.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const POM = join(HERE, 'pom.xml');
const LOG4J = join(HERE, 'log4j2.properties');
const CREATE_TOPICS = join(ROOT, 'dist/libs/platform/messaging/src/cli/create-topics.js');
const STARTED = /Kafka Server started/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The Kafka version of pom.xml: the cache key, so a version bump fetches anew. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'))[1];

export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'fapiao', `kafka-${KAFKA_VERSION}`);
}

/** The broker's jars, fetched by Maven on a cache miss; returns the folder that holds them. */
export async function ensureKafka({ log = () => {} } = {}) {
  const libs = join(cacheDir(), 'libs');
  if (existsSync(join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`))) return libs;
  mkdirSync(cacheDir(), { recursive: true });
  const staging = mkdtempSync(join(cacheDir(), 'libs-'));
  const started = Date.now();
  log(`kafka: fetching Apache Kafka ${KAFKA_VERSION} from Maven Central into ${libs} (once, about 15 s)`);
  try {
    await run(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        POM,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${staging}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`kafka: mvn could not fetch Kafka ${KAFKA_VERSION}: ${error.stdout || error.message}`);
  }
  // A concurrent fetch may have finished first: its copy is as good as ours.
  try {
    renameSync(staging, libs);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`kafka: fetched in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return libs;
}

const java = (libs, mainClass, args, options, jvmOptions = []) =>
  spawn(
    // The broker dies with whoever started it (a killed test run or supervisor), like a pod's container.
    'setpriv',
    [
      '--pdeathsig',
      'KILL',
      '--',
      'java',
      '-Xms256m',
      '-Xmx1g',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      // Kafka stops its own logging on shutdown; log4j's hook would race it and complain.
      '-Dlog4j2.shutdownHookEnabled=false',
      `-Dlog4j2.configurationFile=${LOG4J}`,
      ...jvmOptions,
      '-cp',
      `${libs}/*`,
      mainClass,
      ...args,
    ],
    options,
  );

const asProperties = (entries) =>
  `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;

/**
 * Starts one KRaft node on 127.0.0.1 and, with `topics`, creates every contract topic through the Admin
 * API (the Helm hook's own create-topics job). `dataDir` keeps the log across runs (`npm start`); without
 * it the data lives in a temporary folder removed on stop.
 * @param {object} options
 * @param {number} [options.port] the client listener; 0 = a free port
 * @param {string} [options.dataDir]
 * @param {boolean} [options.topics] create the contract topics (needs dist/: run the build first)
 * @param {number} [options.partitions] per contract topic
 * @param {Record<string, string>} [options.listeners] name → `host:port` extra listeners; with `properties`
 *   their security (listener.security.protocol.map, sasl, ssl) is the caller's
 * @param {Record<string, string|number|boolean>} [options.properties] server.properties overrides
 * @param {string[]} [options.formatArgs] extra `kafka-storage format` arguments (e.g. --add-scram)
 * @param {string[]} [options.jvmOptions] extra JVM arguments of the broker (e.g. a `-D` system property)
 * @param {(line: string) => void} [options.log]
 */
export async function startKafka({
  port = 0,
  dataDir,
  topics = false,
  partitions = 3,
  listeners = {},
  properties = {},
  formatArgs = [],
  jvmOptions = [],
  log = () => {},
} = {}) {
  const libs = await ensureKafka({ log });
  const ephemeral = !dataDir;
  const dir = resolve(dataDir ?? mkdtempSync(join(tmpdir(), 'fapiao-kafka-')));
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'server.properties');
  const logDir = join(dir, 'data');
  const clientPort = await freePort(port);
  const controllerPort = await freePort();
  const extraListeners = Object.entries(listeners);
  const config = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: [
      `PLAINTEXT://127.0.0.1:${clientPort}`,
      `CONTROLLER://127.0.0.1:${controllerPort}`,
      ...extraListeners.map(([name, address]) => `${name}://${address}`),
    ].join(','),
    'advertised.listeners': [
      `PLAINTEXT://127.0.0.1:${clientPort}`,
      ...extraListeners.map(([name, address]) => `${name}://${address}`),
    ].join(','),
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    // A real cluster gets its topics from the Admin API (Helm hook), never by a typo in a producer.
    'auto.create.topics.enable': false,
    'num.partitions': partitions,
    // One node: every internal topic has one replica.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Consumers of a test join at once instead of after the 3 s a production broker waits for more members.
    'group.initial.rebalance.delay.ms': 0,
    'group.min.session.timeout.ms': 3000,
    ...properties,
  };
  writeFileSync(configFile, asProperties(config));

  if (!existsSync(join(logDir, 'meta.properties'))) {
    // An id that starts with '-' would be read as an option by the storage tool's argument parser.
    const clusterId = `K${randomBytes(16).toString('base64url').slice(1)}`;
    await new Promise((done, fail) => {
      const child = java(
        libs,
        'kafka.tools.StorageTool',
        ['format', '-t', clusterId, '-c', configFile, ...formatArgs],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.once('exit', (code) =>
        code === 0 ? done() : fail(new Error(`kafka: formatting ${logDir} failed: ${output.trim()}`)),
      );
    });
  }

  let child;
  let exited;
  let stopping = false;
  const launch = async () => {
    const started = Date.now();
    stopping = false;
    child = java(libs, 'kafka.Kafka', [configFile], { stdio: ['ignore', 'pipe', 'pipe'] }, jvmOptions);
    exited = new Promise((done) => child.once('exit', (code, signal) => done(signal ?? code)));
    const recent = [];
    await new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`kafka: not started within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          if (STARTED.test(line)) {
            clearTimeout(timer);
            done();
            return;
          }
          recent.push(line);
          if (recent.length > 30) recent.shift();
          log(`kafka: ${line}`);
        });
      }
      exited.then((status) => {
        clearTimeout(timer);
        fail(new Error(`kafka exited with ${status}:\n${recent.join('\n')}`));
      });
    }).catch((error) => {
      child.kill('SIGKILL');
      throw error;
    });
    exited.then((status) => !stopping && log(`kafka: the broker exited unexpectedly with ${status}`));
    log(
      `kafka: Apache Kafka ${KAFKA_VERSION} at 127.0.0.1:${clientPort} (started in ${Date.now() - started} ms)`,
    );
  };
  await launch();

  const bootstrap = `127.0.0.1:${clientPort}`;
  await loadGroupCoordinator(bootstrap, log);
  if (topics) {
    await createTopics(bootstrap, { partitions }).catch(async (error) => {
      await handle.stop();
      throw error;
    });
  }

  const running = () => child.exitCode === null && child.signalCode === null;
  const handle = {
    bootstrap,
    dataDir: dir,
    /** Ends the broker (SIGTERM: a controlled shutdown) and keeps its data for `up()`. */
    async down() {
      if (!running()) return;
      stopping = true;
      child.kill('SIGCONT'); // a paused broker cannot shut down
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    /** Starts the broker again on the same port with the same data. */
    async up() {
      if (!running()) await launch();
    },
    /** Freezes the broker (SIGSTOP): connections stay open and nothing answers, as with a hung machine. */
    pause() {
      if (running()) child.kill('SIGSTOP');
    },
    resume() {
      if (running()) child.kill('SIGCONT');
    },
    async stop() {
      await handle.down();
      if (ephemeral) rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

/**
 * A new cluster creates and loads __consumer_offsets on the first group request; until then every join is
 * answered "coordinator loading", which kafkajs logs as a consumer crash. One lookup here absorbs that wait.
 */
async function loadGroupCoordinator(bootstrap, log) {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({
    clientId: 'fapiao-kafka-tool',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2000 },
  }).admin();
  await admin.connect();
  try {
    await admin.describeGroups(['fapiao-kafka-tool']);
  } catch (error) {
    log(`kafka: the group coordinator is still loading (${error.message}); consumers will retry`);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every contract topic (ALL_TOPICS, base + `.retry` + `.dlq`) with one replica, through the compiled
 * create-topics job: the same Admin API calls and topic configs as the Helm hook.
 */
async function createTopics(bootstrap, { partitions }) {
  if (!existsSync(CREATE_TOPICS)) throw new Error(`kafka: ${CREATE_TOPICS} is missing: run npm run build`);
  try {
    await run(process.execPath, [CREATE_TOPICS], {
      env: {
        ...process.env,
        KAFKA_BROKERS: bootstrap,
        KAFKA_TOPIC_PARTITIONS: String(partitions),
        KAFKA_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '1',
      },
    });
  } catch (error) {
    throw new Error(`kafka: creating the topics failed: ${(error.stderr || error.message).trim()}`);
  }
}

/**
 * Broker faults for other processes (Jest workers): POST /down, /up, /pause, /resume on 127.0.0.1.
 * Resolves with the URL; `close()` ends it.
 */
export async function serveControl(broker, port = 0) {
  const actions = { down: broker.down, up: broker.up, pause: broker.pause, resume: broker.resume };
  const server = createHttpServer((req, res) => {
    const action = req.method === 'POST' ? actions[req.url.replace(/^\/|\/$/g, '')] : undefined;
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!action) return reply(404, { error: `no route ${req.method} ${req.url}` });
    Promise.resolve(action()).then(
      () => reply(200, { ok: true }),
      (error) => reply(500, { error: error.message }),
    );
  });
  await new Promise((done, fail) => server.once('error', fail).listen(port, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
