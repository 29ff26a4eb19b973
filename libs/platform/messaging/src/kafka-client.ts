import { Logger } from '@nestjs/common';
import {
  Kafka,
  logLevel,
  type KafkaConfig as KafkaJsConfig,
  type logCreator,
  type SASLOptions,
} from 'kafkajs';
import type { KafkaConfig } from '@fapiao/platform/config';
import { withPrefix } from './kafka-prefix';
import { clientCredentialsTokenSource } from './oauth-token';

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

/** One token cache per config (so per service process), whichever of its clients asks first. */
const tokenSources = new WeakMap<object, () => Promise<{ value: string }>>();

/** The kafkajs `ssl` and `sasl` options for a config: exported for its spec. */
export function securityOptions(config: KafkaConfig): Pick<KafkaJsConfig, 'ssl' | 'sasl'> {
  return { ssl: ssl(config), sasl: sasl(config) };
}

function ssl(config: KafkaConfig): KafkaJsConfig['ssl'] {
  if (!config.ssl) return false;
  const { ca, cert, key } = config.ssl;
  if (ca === undefined && cert === undefined) return true;
  return {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && key !== undefined && { cert, key: key.reveal() }),
  };
}

function sasl(config: KafkaConfig): SASLOptions | undefined {
  const settings = config.sasl;
  if (settings === undefined) return undefined;
  if (settings.mechanism !== 'oauthbearer') {
    const { username, password } = settings;
    // kafkajs's SASLOptions is a union per mechanism literal; narrowed one arm at a time.
    if (settings.mechanism === 'plain') return { mechanism: 'plain', username, password: password.reveal() };
    if (settings.mechanism === 'scram-sha-256') {
      return { mechanism: 'scram-sha-256', username, password: password.reveal() };
    }
    return { mechanism: 'scram-sha-512', username, password: password.reveal() };
  }
  let source = tokenSources.get(settings);
  if (!source) {
    source = clientCredentialsTokenSource(settings, { timeoutMs: config.requestTimeoutMs });
    tokenSources.set(settings, source);
  }
  return { mechanism: 'oauthbearer', oauthBearerProvider: source };
}

/**
 * The only place a kafkajs client is constructed (architecture.md §3: the client can be swapped here), and the
 * only place the TLS files and SASL credentials of `kafkaConfig` are handed to it, and its topic and
 * group names get the release's KAFKA_PREFIX (kafka-prefix.ts).
 */
export function createKafka(config: KafkaConfig, overrides: Partial<KafkaJsConfig> = {}): Kafka {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ...securityOptions(config),
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: toNestLogger,
    ...overrides,
  });
  return withPrefix(kafka, config.prefix);
}
