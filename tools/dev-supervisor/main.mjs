// `npm start`: the whole suite on this machine — schemas and migrations, a dev Kafka broker unless
// KAFKA_BROKERS is set, every service as its own process with prefixed logs; Ctrl-C stops everything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMysql, ROOT, startSuite } from './suite.mjs';

const COLORS = [36, 32, 33, 35, 34, 31];
const mysqlUrl = process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306';
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
    await checkMysql(mysqlUrl);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }

  let broker;
  let kafkaBrokers = process.env.KAFKA_BROKERS;
  if (!kafkaBrokers) {
    const { contractTopics, startDevBroker } = await import('../dev-broker/dev-broker.mjs');
    console.log('starting the dev Kafka broker (the first run builds librdkafka, about 2 minutes)…');
    const log = (line) => console.log(`dev-broker        | ${line}`);
    broker = await startDevBroker({ topics: contractTopics({ log }), log });
    kafkaBrokers = broker.bootstrap;
  }

  let suite;
  const shutdown = async (signal) => {
    console.log(`\n${signal}: stopping…`);
    const codes = suite ? await suite.stop() : {};
    await broker?.stop();
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
      },
    });
  } catch (error) {
    console.error(`start failed: ${error.message}`);
    await broker?.stop();
    process.exit(1);
  }
  // Tools (the benchmark) find the broker of this run here.
  writeFileSync(
    join(stateDir, 'runtime.json'),
    `${JSON.stringify({ kafkaBrokers, brokerControlUrl: broker?.controlUrl ?? null }, null, 2)}\n`,
  );
  console.log('\nfapiao is running:');
  for (const { service, url } of suite.running) {
    console.log(`  ${service.name.padEnd(17)} ${url}   docs ${url}/docs   metrics ${url}/metrics`);
  }
  console.log(
    `  kafka             ${kafkaBrokers}${broker ? `   (dev broker control ${broker.controlUrl})` : ''}`,
  );
  console.log(`\ndemo credentials (.fapiao/dev-credentials.json): ${JSON.stringify(suite.credentials)}`);
  console.log(
    'get a token: curl -s -d grant_type=client_credentials -d client_id=… -d client_secret=… http://127.0.0.1:3001/oauth/token',
  );
  console.log('Ctrl-C stops everything.');
}

void main();
