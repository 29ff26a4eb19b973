// Runs Jaeger (in-memory, loopback only) until Ctrl-C or SIGTERM.
//   node tools/jaeger/main.mjs [--otlp-port 4318] [--query-port 16686]
import { parseArgs } from 'node:util';
import { wholeNumber } from '../lib/options.mjs';
import { startJaeger } from './jaeger.mjs';

const { values } = parseArgs({
  options: {
    'otlp-port': { type: 'string', default: '0' },
    'query-port': { type: 'string', default: '0' },
  },
});

const PORT = { max: 65535, what: 'a port number (0 picks a free one)' };

let jaeger;
try {
  jaeger = await startJaeger({
    otlpHttpPort: wholeNumber(values, 'otlp-port', PORT),
    queryPort: wholeNumber(values, 'query-port', PORT),
    log: (line) => console.error(line),
  });
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
console.log(`OTEL_EXPORTER_OTLP_ENDPOINT=${jaeger.otlpEndpoint}`);
console.log(`JAEGER_QUERY_URL=${jaeger.queryUrl}`);
console.error('jaeger: Ctrl-C stops it (traces live in memory only)');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => jaeger.stop().then(() => process.exit(0)));
}
