import { z } from 'zod';
import { defineConfig, env } from './define-config';
import { Secret } from './secret';

export interface ServiceIdentity {
  /** Short service name: `order`, `tax-bridge`, … */
  name: string;
  defaultPort: number;
  /** MySQL schema the service owns (architecture.md §2). */
  defaultDatabase: string;
}

/** Where /metrics is served when METRICS_PORT is unset: the HTTP port plus this (order 3002 → 9002). */
export const METRICS_PORT_OFFSET = 6000;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const appConfig = (service: ServiceIdentity) =>
  defineConfig(
    'app',
    z
      .object({
        PORT: env.port(service.defaultPort),
        HOST: z.string().default('0.0.0.0'),
        // /metrics on a port of its own, which no Ingress or HTTPRoute routes to.
        METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
        LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
        SHUTDOWN_GRACE_MS: env.int(10_000, 100),
      })
      .superRefine((e, context) => {
        const metricsPort = e.METRICS_PORT ?? e.PORT + METRICS_PORT_OFFSET;
        if (metricsPort === e.PORT) {
          context.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
        } else if (metricsPort > 65_535) {
          context.addIssue({
            code: 'custom',
            path: ['METRICS_PORT'],
            message: `is required when PORT + ${METRICS_PORT_OFFSET} exceeds 65535`,
          });
        }
      }),
    (e) => ({
      name: service.name,
      port: e.PORT,
      metricsPort: e.METRICS_PORT ?? e.PORT + METRICS_PORT_OFFSET,
      host: e.HOST,
      logLevel: e.LOG_LEVEL,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    }),
  );

export const databaseConfig = (service: ServiceIdentity) =>
  defineConfig(
    'database',
    z.object({
      DB_HOST: z.string().default('127.0.0.1'),
      DB_PORT: env.port(3306),
      // A Unix socket instead of TCP (a database on the same host, or a proxy sidecar such as the Cloud SQL
      // Auth Proxy): DB_HOST and DB_PORT are then unused. Each statement costs less CPU on both ends.
      DB_SOCKET_PATH: z.string().startsWith('/', 'an absolute path').optional(),
      DB_USER: z.string().default('root'),
      DB_PASSWORD: z.string().default(''),
      DB_NAME: z
        .string()
        .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and underscores only')
        .default(service.defaultDatabase),
      DB_POOL_SIZE: env.int(10, 1),
      DB_CONNECT_TIMEOUT_MS: env.int(3_000, 100),
    }),
    (e) => ({
      host: e.DB_HOST,
      port: e.DB_PORT,
      socketPath: e.DB_SOCKET_PATH,
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      database: e.DB_NAME,
      poolSize: e.DB_POOL_SIZE,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    }),
  );

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export type KafkaSasl =
  | { mechanism: Exclude<KafkaSaslMechanism, 'oauthbearer'>; username: string; password: Secret }
  /** OAuth 2.0 client_credentials: the client id and secret buy a token at `tokenUrl`. */
  | { mechanism: 'oauthbearer'; tokenUrl: string; clientId: string; clientSecret: Secret; scope?: string };

/** TLS towards the brokers: `ca` replaces the system trust store; `cert`/`key` for mutual TLS. */
export interface KafkaSsl {
  ca?: string;
  cert?: string;
  key?: Secret;
}

const SASL_CREDENTIALS = [
  ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_USERNAME_FILE'],
  ['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'],
] as const;
const OAUTHBEARER_ONLY = ['KAFKA_SASL_OAUTHBEARER_TOKEN_URL', 'KAFKA_SASL_OAUTHBEARER_SCOPE'] as const;

export const kafkaConfig = (service: ServiceIdentity) =>
  defineConfig(
    'kafka',
    z
      .object({
        KAFKA_BROKERS: env.list(),
        KAFKA_CLIENT_ID: z.string().default(`fapiao-${service.name}`),
        // A release's namespace on a shared cluster: before every topic and consumer-group name (kafka-prefix.ts).
        KAFKA_PREFIX: z
          .string()
          .max(100)
          .regex(
            /^[A-Za-z0-9._-]*$/,
            'letters, digits, ".", "_" and "-" only (it becomes part of topic names)',
          )
          .default(''),
        KAFKA_SSL: env.bool(false),
        KAFKA_SSL_CA_FILE: env.file().optional(),
        KAFKA_SSL_CERT_FILE: env.file().optional(),
        KAFKA_SSL_KEY_FILE: env.file().optional(),
        KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS).optional(),
        KAFKA_SASL_USERNAME: z.string().optional(),
        KAFKA_SASL_USERNAME_FILE: env.file({ trimNewline: true }).optional(),
        KAFKA_SASL_PASSWORD: z.string().optional(),
        KAFKA_SASL_PASSWORD_FILE: env.file({ trimNewline: true }).optional(),
        KAFKA_SASL_OAUTHBEARER_TOKEN_URL: env.url().optional(),
        KAFKA_SASL_OAUTHBEARER_SCOPE: z.string().optional(),
        KAFKA_CONNECTION_TIMEOUT_MS: env.int(3_000, 100),
        KAFKA_REQUEST_TIMEOUT_MS: env.int(10_000, 100),
      })
      .superRefine((e, context) => {
        const issue = (variable: string, message: string) =>
          context.addIssue({ code: 'custom', path: [variable], message });
        for (const [value, file] of SASL_CREDENTIALS) {
          if (e[value] !== undefined && e[file] !== undefined)
            issue(file, `set ${value} or ${file}, not both`);
        }
        const mechanism = e.KAFKA_SASL_MECHANISM;
        if (mechanism === undefined) {
          const given = [...SASL_CREDENTIALS.flat(), ...OAUTHBEARER_ONLY].filter(
            (name) => e[name] !== undefined,
          );
          if (given.length > 0) issue('KAFKA_SASL_MECHANISM', `is required when ${given.join(', ')} is set`);
        } else {
          for (const [value, file] of SASL_CREDENTIALS) {
            if (e[value] === undefined && e[file] === undefined) {
              issue(value, `${value} or ${file} is required with KAFKA_SASL_MECHANISM=${mechanism}`);
            }
          }
          if (mechanism === 'oauthbearer' && e.KAFKA_SASL_OAUTHBEARER_TOKEN_URL === undefined) {
            issue('KAFKA_SASL_OAUTHBEARER_TOKEN_URL', 'is required with KAFKA_SASL_MECHANISM=oauthbearer');
          }
          if (mechanism !== 'oauthbearer') {
            for (const name of OAUTHBEARER_ONLY) {
              if (e[name] !== undefined)
                issue(name, `is only for KAFKA_SASL_MECHANISM=oauthbearer, not ${mechanism}`);
            }
          }
        }
        if ((e.KAFKA_SSL_CERT_FILE === undefined) !== (e.KAFKA_SSL_KEY_FILE === undefined)) {
          const [missing, given] =
            e.KAFKA_SSL_CERT_FILE === undefined
              ? ['KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE']
              : ['KAFKA_SSL_KEY_FILE', 'KAFKA_SSL_CERT_FILE'];
          issue(missing, `is required with ${given} (a client certificate needs both)`);
        }
      }),
    (e) => ({
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      /** Put before every topic and group name on the cluster; empty: the contracts' names as they are. */
      prefix: e.KAFKA_PREFIX,
      /** `false`, or TLS (any of the files implies it) with an optional CA and client certificate. */
      ssl: kafkaSsl(e),
      sasl: kafkaSasl(e),
      connectionTimeoutMs: e.KAFKA_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: e.KAFKA_REQUEST_TIMEOUT_MS,
    }),
  );

function kafkaSsl(e: {
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SSL_CERT_FILE?: string;
  KAFKA_SSL_KEY_FILE?: string;
}): KafkaSsl | false {
  const { KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key } = e;
  if (!e.KAFKA_SSL && ca === undefined && cert === undefined) return false;
  return {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && key !== undefined && { cert, key: new Secret(key) }),
  };
}

function kafkaSasl(e: {
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_USERNAME_FILE?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_SASL_PASSWORD_FILE?: string;
  KAFKA_SASL_OAUTHBEARER_TOKEN_URL?: string;
  KAFKA_SASL_OAUTHBEARER_SCOPE?: string;
}): KafkaSasl | undefined {
  const mechanism = e.KAFKA_SASL_MECHANISM;
  // The refinement guarantees both credentials (and the token URL for oauthbearer) with a mechanism.
  const username = e.KAFKA_SASL_USERNAME ?? e.KAFKA_SASL_USERNAME_FILE ?? '';
  const password = new Secret(e.KAFKA_SASL_PASSWORD ?? e.KAFKA_SASL_PASSWORD_FILE ?? '');
  if (mechanism === undefined) return undefined;
  if (mechanism !== 'oauthbearer') return { mechanism, username, password };
  return {
    mechanism,
    tokenUrl: e.KAFKA_SASL_OAUTHBEARER_TOKEN_URL ?? '',
    clientId: username,
    clientSecret: password,
    ...(e.KAFKA_SASL_OAUTHBEARER_SCOPE !== undefined && { scope: e.KAFKA_SASL_OAUTHBEARER_SCOPE }),
  };
}

export const authVerifyConfig = defineConfig(
  'authVerify',
  z.object({
    AUTH_ISSUER: env.url().default('http://127.0.0.1:3001'),
    AUTH_AUDIENCE: z.string().min(1).default('fapiao'),
    AUTH_JWKS_URL: env.url().optional(),
    AUTH_CLOCK_TOLERANCE_SECONDS: env.int(5),
    /** Revoked clients; defaults to /v1/revocations beside the JWKS. */
    AUTH_REVOCATIONS_URL: env.url().optional(),
    /** How long a verifier trusts its copy of the revocation list: the bound on refusing a revoked client. */
    AUTH_REVOCATION_CACHE_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  }),
  (e) => {
    const jwksUrl = e.AUTH_JWKS_URL ?? `${e.AUTH_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`;
    return {
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      jwksUrl,
      clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_SECONDS,
      revocationsUrl: e.AUTH_REVOCATIONS_URL ?? new URL('/v1/revocations', jwksUrl).href,
      revocationCacheMs: e.AUTH_REVOCATION_CACHE_MS,
    };
  },
);

export type AppConfig = ReturnType<ReturnType<typeof appConfig>['read']>;
export type DatabaseConfig = ReturnType<ReturnType<typeof databaseConfig>['read']>;
export type KafkaConfig = ReturnType<ReturnType<typeof kafkaConfig>['read']>;
export type AuthVerifyConfig = ReturnType<typeof authVerifyConfig.read>;
