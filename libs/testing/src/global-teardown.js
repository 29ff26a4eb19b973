// Stops the Kafka that global-setup.js started (once, though Jest calls this once per project) and
// forgets its address, so a later setup in the same process (watch mode) starts a fresh one.
const HANDLE = Symbol.for('fapiao.testing.kafka');

module.exports = async function globalTeardown() {
  const started = globalThis[HANDLE];
  globalThis[HANDLE] = undefined;
  const run = await started?.catch(() => null);
  if (!run) return;
  delete process.env.KAFKA_BROKERS;
  delete process.env.KAFKA_CONTROL_URL;
  await run.control.close();
  await run.broker.stop();
};
