import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';
import { parseTrustProxy } from './commands/issue-token/source-address';

export const AUTH_SERVER_CONFIG = 'fapiao:config:auth-server';

export const authServerConfig = defineConfig(
  'authServer',
  z.object({
    AUTH_ISSUER: env.url().default('http://127.0.0.1:3001'),
    AUTH_AUDIENCE: z.string().min(1).default('fapiao'),
    AUTH_TOKEN_TTL_SECONDS: env.int(900, 60),
    AUTH_KEY_ENCRYPTION_KEY: z
      .base64()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must decode to exactly 32 bytes'),
    AUTH_KEY_REFRESH_MS: env.int(30_000, 1_000),
    // The token endpoint under attack: see README "Configuration" for why these defaults.
    AUTH_TOKEN_LIMIT_PER_CLIENT: env.int(60, 1),
    AUTH_TOKEN_LIMIT_PER_ADDRESS: env.int(300, 1),
    AUTH_TOKEN_LIMIT_WINDOW_SECONDS: env.int(60, 1),
    AUTH_HASH_CONCURRENCY: env.int(1, 1),
    AUTH_HASH_QUEUE: env.int(16, 0),
    AUTH_TRUST_PROXY: z
      .string()
      .default('false')
      .transform((value, context) => {
        try {
          return parseTrustProxy(value);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
  }),
  (e) => ({
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
    tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
    keyEncryptionKey: Buffer.from(e.AUTH_KEY_ENCRYPTION_KEY, 'base64'),
    keyRefreshMs: e.AUTH_KEY_REFRESH_MS,
    tokenEndpoint: {
      perClient: e.AUTH_TOKEN_LIMIT_PER_CLIENT,
      perAddress: e.AUTH_TOKEN_LIMIT_PER_ADDRESS,
      windowSeconds: e.AUTH_TOKEN_LIMIT_WINDOW_SECONDS,
      hashConcurrency: e.AUTH_HASH_CONCURRENCY,
      hashQueue: e.AUTH_HASH_QUEUE,
      trustProxy: e.AUTH_TRUST_PROXY,
    },
  }),
);

export type AuthServerConfig = ReturnType<typeof authServerConfig.read>;
