// Runs the development Kafka broker with every platform topic until Ctrl-C or SIGTERM.
//   node tools/dev-broker/main.mjs [--brokers N] [--partitions N] [--port P] [--control-port P]
import { parseArgs } from 'node:util';
import { contractTopics, startDevBroker } from './dev-broker.mjs';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string', default: '1' },
    partitions: { type: 'string', default: '3' },
    port: { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
  },
});
const number = (flag) => {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${flag}: a whole number, not ${values[flag]}`);
    process.exit(2);
  }
  return value;
};

const log = (line) => console.error(line);
let topics, broker;
try {
  topics = contractTopics({ log });
  broker = await startDevBroker({
    topics,
    brokers: number('brokers'),
    partitions: number('partitions'),
    port: number('port'),
    controlPort: number('control-port'),
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
