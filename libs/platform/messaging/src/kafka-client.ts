import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type logCreator } from 'kafkajs';
import type { KafkaConfig } from '@fapiao/platform/config';

/** kafkajs logs through the service's logger (JSON with trace ids), not its own console format. */
const toNestLogger: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log: { message, timestamp: _timestamp, ...extra } }) => {
    const line = `${message} ${JSON.stringify(extra)}`;
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else if (level === logLevel.INFO) logger.log(line);
    else logger.debug(line);
  };
};

/** The only place a kafkajs client is constructed (DESIGN.md §3: the client can be swapped here). */
export function createKafka(config: KafkaConfig, overrides: Partial<KafkaJsConfig> = {}): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: toNestLogger,
    ...overrides,
  });
}
