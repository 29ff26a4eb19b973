import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

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
  }),
  (e) => ({
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
    tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
    keyEncryptionKey: Buffer.from(e.AUTH_KEY_ENCRYPTION_KEY, 'base64'),
    keyRefreshMs: e.AUTH_KEY_REFRESH_MS,
  }),
);

export type AuthServerConfig = ReturnType<typeof authServerConfig.read>;
