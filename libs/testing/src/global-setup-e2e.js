// Jest global setup of the `e2e` project: the shared one (MariaDB, one Kafka for the run), and Jaeger built
// beside it (minutes on a new machine, then cached), so no test timeout has to cover the build. Jest runs
// this only when e2e tests are selected.
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const sharedSetup = require('./global-setup');

const JAEGER = pathToFileURL(join(__dirname, '../../../tools/jaeger/jaeger.mjs')).href;
const log = (line) => process.stderr.write(`${line}\n`);

module.exports = async function globalSetupE2e() {
  await Promise.all([sharedSetup(), import(JAEGER).then(({ ensureJaeger }) => ensureJaeger({ log }))]);
};
