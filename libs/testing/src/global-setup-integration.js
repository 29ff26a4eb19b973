// Jest global setup of the `integration` project: the shared one (MariaDB, one Kafka for the run), and
// etcd + kube-apiserver built beside it for tools/doctor/kube.int-spec.ts (many minutes on a new machine,
// then cached by tools/kube), so no test timeout has to cover the build.
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const sharedSetup = require('./global-setup');

const KUBE = pathToFileURL(join(__dirname, '../../../tools/kube/kube.mjs')).href;
const log = (line) => process.stderr.write(`${line}\n`);

module.exports = async function globalSetupIntegration() {
  await Promise.all([sharedSetup(), import(KUBE).then(({ ensureKube }) => ensureKube({ log }))]);
};
