// `npm start`: the whole suite on this machine — schemas and migrations, Apache Kafka unless KAFKA_BROKERS
// is set, Jaeger unless FAPIAO_JAEGER=off, every service as its own process with prefixed logs; Ctrl-C
// stops everything.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMysql, ROOT, startSuite } from './suite.mjs';
import { metricsUrl } from '../lib/ports.mjs';

const COLORS = [36, 32, 33, 35, 34, 31];
const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';
const mysqlUrl = process.env.MYSQL_URL || DEFAULT_MYSQL_URL;
const stateDir = join(ROOT, '.fapiao');

function prefixer() {
  const colorOf = new Map();
  return (name, line) => {
    if (!colorOf.has(name)) colorOf.set(name, COLORS[colorOf.size % COLORS.length]);
    process.stdout.write(`\x1b[${colorOf.get(name)}m${name.padEnd(17)}|\x1b[0m ${line}\n`);
  };
}

async function main() {
  try {
    await checkMysql(mysqlUrl).catch(async (error) => {
      // On the default address and as root, MariaDB is installed and started here; elsewhere, one line says what to do.
      if (mysqlUrl !== DEFAULT_MYSQL_URL || process.getuid?.() !== 0) throw error;
      execFileSync(join(ROOT, 'tools/mariadb/ensure-mariadb.sh'), { stdio: 'inherit' });
      await checkMysql(mysqlUrl);
    });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }

  // Kafka and Jaeger start side by side: on a new machine Jaeger's first build takes minutes.
  const [broker, jaeger] = await Promise.all([startBroker(), startTraceBackend()]).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
  const kafkaBrokers = broker?.bootstrap ?? process.env.KAFKA_BROKERS;
  const otlpEndpoint = jaeger?.otlpEndpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const stopBackends = () => Promise.all([broker?.stop(), jaeger?.stop()]);

  let suite;
  const shutdown = async (signal) => {
    console.log(`\n${signal}: stopping…`);
    const codes = suite ? await suite.stop() : {};
    await stopBackends();
    console.log(`stopped ${JSON.stringify(codes)}`);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    suite = await startSuite({
      mysqlUrl,
      kafkaBrokers,
      stateDir,
      log: prefixer(),
      // The authority's monthly maintenance window (25th–27th) would hold every invoice in tax-bridge's
      // queue during those days; opt in with SIM_MAINTENANCE_ENABLED=true / TAX_MAINTENANCE_ENABLED=true.
      extra: {
        SIM_MAINTENANCE_ENABLED: process.env.SIM_MAINTENANCE_ENABLED ?? 'false',
        TAX_MAINTENANCE_ENABLED: process.env.TAX_MAINTENANCE_ENABLED ?? 'false',
        ...(otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint } : {}),
      },
    });
  } catch (error) {
    console.error(`start failed: ${error.message}`);
    await stopBackends();
    process.exit(1);
  }
  // Tools (the benchmark, chaos, doctor) find the broker of this run, and the simulator's admin token, here.
  writeFileSync(
    join(stateDir, 'runtime.json'),
    `${JSON.stringify({ kafkaBrokers, simAdminToken: suite.simAdminToken }, null, 2)}\n`,
    { mode: 0o600 },
  );
  console.log('\nfapiao is running:');
  for (const { service, url } of suite.running) {
    const extras = service.defaultDatabase
      ? `   docs ${url}/docs   metrics ${metricsUrl(url)}`
      : '   (ops console)';
    console.log(`  ${service.name.padEnd(17)} ${url}${extras}`);
  }
  console.log(`  kafka             ${kafkaBrokers}${broker ? '   (Apache Kafka, KRaft, one node)' : ''}`);
  if (jaeger) {
    console.log(
      `  jaeger            ${jaeger.queryUrl}   (query API; OTLP/HTTP in at ${jaeger.otlpEndpoint})`,
    );
    console.log(`                    a trace: curl -s ${jaeger.queryUrl}/api/traces/<traceId>`);
  } else {
    console.log(`  traces            ${otlpEndpoint ?? 'not exported (FAPIAO_JAEGER=off)'}`);
  }
  console.log(`\ndemo credentials (.fapiao/dev-credentials.json): ${JSON.stringify(suite.credentials)}`);
  console.log(
    `platform administrator (platform:admin: tenants, clients, keys): .fapiao/platform-credentials.json (${suite.platformCredentials.clientId})`,
  );
  console.log(
    'get a token: curl -s -d grant_type=client_credentials -d client_id=… -d client_secret=… http://127.0.0.1:3001/oauth/token',
  );
  console.log('Ctrl-C stops everything.');
}

/** Apache Kafka on 127.0.0.1:9092 with its data in .fapiao/kafka, unless KAFKA_BROKERS names a cluster. */
async function startBroker() {
  if (process.env.KAFKA_BROKERS) return null;
  const { KAFKA_VERSION, startKafka } = await import('../kafka/kafka.mjs');
  console.log(`starting Apache Kafka ${KAFKA_VERSION} (its data in .fapiao/kafka)…`);
  return startKafka({
    port: Number(process.env.FAPIAO_KAFKA_PORT || 9092),
    dataDir: join(stateDir, 'kafka'),
    topics: true,
    log: (line) => console.log(`kafka             | ${line}`),
  }).catch((error) => {
    throw new Error(`Kafka did not start: ${error.message}`);
  });
}

/** Jaeger on 127.0.0.1 (OTLP/HTTP 4318, query API 16686), unless FAPIAO_JAEGER=off or an endpoint is set. */
async function startTraceBackend() {
  if (process.env.FAPIAO_JAEGER === 'off' || process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  const { startJaeger } = await import('../jaeger/jaeger.mjs');
  console.log('starting Jaeger (FAPIAO_JAEGER=off skips it)…');
  return startJaeger({
    otlpHttpPort: 4318,
    queryPort: 16686,
    log: (line) => console.log(`jaeger            | ${line}`),
  }).catch((error) => {
    throw new Error(`Jaeger did not start: ${error.message}`);
  });
}

void main();
