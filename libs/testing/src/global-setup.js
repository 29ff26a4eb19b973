// Jest global setup of the `integration` and `e2e` projects: checks MariaDB, then starts ONE dev Kafka
// broker (tools/dev-broker) for the whole run. Test workers inherit KAFKA_BROKERS and
// DEV_BROKER_CONTROL_URL from this process's environment. A caller that sets KAFKA_BROKERS brings its
// own Kafka, and nothing is started (DEV_BROKER_CONTROL_URL is then whatever the caller set, if any).
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

// Jest calls this once per project in the same process: the second call finds the first one's run.
const HANDLE = Symbol.for('fapiao.testing.devBroker');
const DEV_BROKER = pathToFileURL(join(__dirname, '../../../tools/dev-broker/dev-broker.mjs')).href;

module.exports = async function globalSetup() {
  globalThis[HANDLE] ??= setup();
  await globalThis[HANDLE];
};

async function setup() {
  await checkMariaDb();
  if (process.env.KAFKA_BROKERS) return null;
  const log = (line) => process.stderr.write(`${line}\n`);
  const { contractTopics, startDevBroker } = await import(DEV_BROKER);
  const broker = await startDevBroker({ topics: contractTopics({ log }), log });
  process.env.KAFKA_BROKERS = broker.bootstrap;
  process.env.DEV_BROKER_CONTROL_URL = broker.controlUrl;
  return broker;
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
        `${err.code ?? err.message}. Start it (service mariadb start) or set MYSQL_URL.`,
    );
    // Jest prints the stack of a failed global setup: keep it to the one message.
    error.stack = error.message;
    throw error;
  }
}
