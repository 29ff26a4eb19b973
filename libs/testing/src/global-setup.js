// Jest global setup of the `integration` and `e2e` projects: checks MariaDB, then starts ONE Apache
// Kafka (tools/kafka) with every contract topic for the whole run, and a control endpoint through which
// test workers stop, start, pause and resume it. Workers inherit KAFKA_BROKERS and KAFKA_CONTROL_URL from
// this process's environment. A caller that sets KAFKA_BROKERS brings its own Kafka, and nothing is started.
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

// Jest calls each distinct setup module once; the e2e project's (global-setup-e2e.js) calls this one too,
// and the second call finds the first one's run.
const HANDLE = Symbol.for('fapiao.testing.kafka');
const KAFKA = pathToFileURL(join(__dirname, '../../../tools/kafka/kafka.mjs')).href;
const log = (line) => process.stderr.write(`${line}\n`);

module.exports = async function globalSetup() {
  globalThis[HANDLE] ??= setup();
  await globalThis[HANDLE];
};

async function setup() {
  await checkMariaDb();
  if (process.env.KAFKA_BROKERS) return null;
  const { serveControl, startKafka } = await import(KAFKA);
  const broker = await startKafka({ topics: true, log });
  const control = await serveControl(broker);
  process.env.KAFKA_BROKERS = broker.bootstrap;
  process.env.KAFKA_CONTROL_URL = control.url;
  return { broker, control };
}

async function checkMariaDb() {
  const url = process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306';
  const mysql = require('mysql2/promise');
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
    await connection.end();
  } catch (err) {
    const shown = new URL(url);
    if (shown.password) shown.password = '***';
    const error = new Error(
      `Integration and e2e tests need MariaDB at ${shown} (MYSQL_URL), and it is not reachable: ` +
        `${err.code ?? err.message}. Run tools/mariadb/ensure-mariadb.sh (as root) or set MYSQL_URL.`,
    );
    // Jest prints the stack of a failed global setup: keep it to the one message.
    error.stack = error.message;
    throw error;
  }
}
