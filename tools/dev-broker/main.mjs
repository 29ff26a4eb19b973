// Runs the development Kafka broker with every platform topic until Ctrl-C or SIGTERM.
//   node tools/dev-broker/main.mjs [--brokers N] [--partitions N] [--port P] [--control-port P]
import { parseArgs } from 'node:util';
import { wholeNumber } from '../lib/options.mjs';
import { contractTopics, startDevBroker } from './dev-broker.mjs';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string', default: '1' },
    partitions: { type: 'string', default: '3' },
    port: { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
  },
});

const log = (line) => console.error(line);
let topics, broker;
try {
  topics = contractTopics({ log });
  broker = await startDevBroker({
    topics,
    brokers: wholeNumber(values, 'brokers'),
    partitions: wholeNumber(values, 'partitions'),
    port: wholeNumber(values, 'port'),
    controlPort: wholeNumber(values, 'control-port'),
    log,
  });
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
console.log(`KAFKA_BROKERS=${broker.bootstrap}`);
console.log(`DEV_BROKER_CONTROL_URL=${broker.controlUrl}`);
console.error(`dev-broker: ${topics.length} topics; Ctrl-C stops it (its data lives in memory only)`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => broker.stop().then(() => process.exit(0)));
}
