// Stops the dev broker that global-setup.js started (once, though Jest calls this once per project) and
// forgets its address, so a later setup in the same process (watch mode) starts a fresh one.
const HANDLE = Symbol.for('fapiao.testing.devBroker');

module.exports = async function globalTeardown() {
  const started = globalThis[HANDLE];
  globalThis[HANDLE] = undefined;
  const broker = await started?.catch(() => null);
  if (!broker) return;
  delete process.env.KAFKA_BROKERS;
  delete process.env.DEV_BROKER_CONTROL_URL;
  await broker.stop();
};
