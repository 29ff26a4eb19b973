// Hook Job dependency check, run with `node -e` in a fapiao image before the migrations (database) and
// the topic job (Kafka): tries a TCP connection to each endpoint until one answers or the time is up,
// then prints one line and exits 0, or 3 when nothing answered. The Job's podFailurePolicy fails the Job
// on exit 3 at once, so `helm install` stops with the reason instead of waiting out its timeout.
const net = require('node:net');

const what = process.env.WAIT_FOR || 'dependency';
const values = process.env.WAIT_VALUES || '';
const timeoutMs = Number(process.env.WAIT_TIMEOUT_SECONDS || 60) * 1000;
const intervalMs = Number(process.env.WAIT_INTERVAL_SECONDS || 2) * 1000;
const attemptMs = Math.min(3000, Math.max(500, intervalMs));

/** "host:port", "[::1]:9092" or "SASL_SSL://host:port" → { host, port }. */
function parse(endpoint) {
  const bare = endpoint.trim().replace(/^[a-z_]+:\/\//i, '');
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(bare) || /^([^:]+):(\d+)$/.exec(bare);
  return match ? { host: match[1], port: Number(match[2]), text: bare } : { text: bare, invalid: true };
}

const endpoints = (process.env.WAIT_ENDPOINTS || '')
  .split(',')
  .filter((e) => e.trim())
  .map(parse);

function connect({ host, port }) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(attemptMs, () => done(new Error(`no answer within ${attemptMs} ms`)));
    socket.once('connect', () => done(null));
    socket.once('error', (error) => done(error));
  });
}

async function main() {
  const fail = (reason) => {
    console.log(`fapiao: ${what} unreachable: ${reason}; check ${values}`);
    process.exit(3);
  };
  const invalid = endpoints.filter((e) => e.invalid);
  if (endpoints.length === 0) fail('no endpoint configured');
  if (invalid.length > 0) fail(`${invalid.map((e) => e.text).join(', ')} is not host:port`);
  const started = Date.now();
  const last = new Map();
  for (;;) {
    for (const endpoint of endpoints) {
      const error = await connect(endpoint);
      if (!error) {
        console.log(`fapiao: ${what} ${endpoint.text} reachable`);
        process.exit(0);
      }
      last.set(endpoint.text, error.code || error.message);
    }
    const elapsed = Date.now() - started;
    if (elapsed + intervalMs >= timeoutMs) {
      const reasons = [...last].map(([text, reason]) => `${text} (${reason})`).join(', ');
      fail(`${reasons} after ${Math.round(elapsed / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

main();
