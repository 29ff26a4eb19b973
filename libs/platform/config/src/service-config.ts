import { z } from 'zod';
import { defineConfig, env } from './define-config';

export interface ServiceIdentity {
  /** Short service name: `order`, `tax-bridge`, … */
  name: string;
  defaultPort: number;
  /** MySQL schema the service owns (DESIGN.md §2). */
  defaultDatabase: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const appConfig = (service: ServiceIdentity) =>
  defineConfig(
    'app',
    z.object({
      PORT: env.port(service.defaultPort),
      HOST: z.string().default('0.0.0.0'),
      LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
      SHUTDOWN_GRACE_MS: env.int(10_000, 100),
    }),
    (e) => ({
      name: service.name,
      port: e.PORT,
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
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      database: e.DB_NAME,
      poolSize: e.DB_POOL_SIZE,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    }),
  );

export const kafkaConfig = (service: ServiceIdentity) =>
  defineConfig(
    'kafka',
    z.object({
      KAFKA_BROKERS: env.list(),
      KAFKA_CLIENT_ID: z.string().default(`fapiao-${service.name}`),
      KAFKA_SSL: env.bool(false),
      KAFKA_CONNECTION_TIMEOUT_MS: env.int(3_000, 100),
      KAFKA_REQUEST_TIMEOUT_MS: env.int(10_000, 100),
    }),
    (e) => ({
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      ssl: e.KAFKA_SSL,
      connectionTimeoutMs: e.KAFKA_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: e.KAFKA_REQUEST_TIMEOUT_MS,
    }),
  );

export const authVerifyConfig = defineConfig(
  'authVerify',
  z.object({
    AUTH_ISSUER: env.url().default('http://127.0.0.1:3001'),
    AUTH_AUDIENCE: z.string().min(1).default('fapiao'),
    AUTH_JWKS_URL: env.url().optional(),
    AUTH_CLOCK_TOLERANCE_SECONDS: env.int(5),
  }),
  (e) => ({
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
    jwksUrl: e.AUTH_JWKS_URL ?? `${e.AUTH_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`,
    clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_SECONDS,
  }),
);

export type AppConfig = ReturnType<ReturnType<typeof appConfig>['read']>;
export type DatabaseConfig = ReturnType<ReturnType<typeof databaseConfig>['read']>;
export type KafkaConfig = ReturnType<ReturnType<typeof kafkaConfig>['read']>;
export type AuthVerifyConfig = ReturnType<typeof authVerifyConfig.read>;
