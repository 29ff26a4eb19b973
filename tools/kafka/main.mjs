// Runs Apache Kafka (KRaft, one node) on loopback with every platform topic until Ctrl-C or SIGTERM.
//   node tools/kafka/main.mjs [--port 9092] [--partitions 3] [--data-dir DIR]
import { parseArgs } from 'node:util';
import { wholeNumber } from '../lib/options.mjs';
import { startKafka } from './kafka.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9092' },
    partitions: { type: 'string', default: '3' },
    'data-dir': { type: 'string' },
  },
});

const PORT = { max: 65535, what: 'a port number (0 picks a free one)' };

let broker;
try {
  broker = await startKafka({
    port: wholeNumber(values, 'port', PORT),
    partitions: wholeNumber(values, 'partitions', { min: 1 }),
    dataDir: values['data-dir'],
    topics: true,
    log: (line) => console.error(line),
  });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
console.log(`KAFKA_BROKERS=${broker.bootstrap}`);
console.error(`kafka: data in ${broker.dataDir}; Ctrl-C stops it`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => broker.stop().then(() => process.exit(0)));
}
