import { z } from 'zod';
import { MAX_TOKEN_TTL_SECONDS, type Scope } from '@fapiao/platform/auth';
import { defineConfig, env, Secret } from '@fapiao/platform/config';
import { parseTrustProxy } from './commands/issue-token/source-address';

export const AUTH_SERVER_CONFIG = 'fapiao:config:auth-server';

const clientId = z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, '3–64 letters, digits, _ . -');
const clientSecret = z.string().min(32, 'at least 32 characters').max(256);
const BOOTSTRAP_PREFIXES = ['AUTH_PLATFORM_CLIENT', 'AUTH_TENANT_LOOKUP_CLIENT'] as const;
const BOOTSTRAP_SUFFIXES = ['_ID', '_SECRET', '_SECRET_FILE'] as const;

/** A client without a tenant whose id and secret the installation provides (see PlatformClients). */
export interface BootstrapClient {
  clientId: string;
  secret: Secret;
  name: string;
  scopes: Scope[];
}

function bootstrapClient(
  clientId: string | undefined,
  secret: string | undefined,
  what: Pick<BootstrapClient, 'name' | 'scopes'>,
): BootstrapClient | undefined {
  return clientId && secret ? { clientId, secret: new Secret(secret), ...what } : undefined;
}

export const authServerConfig = defineConfig(
  'authServer',
  z
    .object({
      AUTH_ISSUER: env.url().default('http://127.0.0.1:3001'),
      AUTH_AUDIENCE: z.string().min(1).default('fapiao'),
      AUTH_TOKEN_TTL_SECONDS: env.int(900, 60).pipe(z.number().max(MAX_TOKEN_TTL_SECONDS)),
      /** How long a rotated client secret keeps working beside the new one. */
      AUTH_SECRET_ROTATION_GRACE_SECONDS: env.int(86_400, 0).pipe(z.number().max(30 * 86_400)),
      // Clients without a tenant, created (or their secret updated) at boot: the platform administrator and
      // the service client other services read the tenant directory with. Values or mounted Secret files.
      AUTH_PLATFORM_CLIENT_ID: clientId.optional(),
      AUTH_PLATFORM_CLIENT_SECRET: clientSecret.optional(),
      AUTH_PLATFORM_CLIENT_SECRET_FILE: env.file({ trimNewline: true }).pipe(clientSecret).optional(),
      AUTH_TENANT_LOOKUP_CLIENT_ID: clientId.optional(),
      AUTH_TENANT_LOOKUP_CLIENT_SECRET: clientSecret.optional(),
      AUTH_TENANT_LOOKUP_CLIENT_SECRET_FILE: env.file({ trimNewline: true }).pipe(clientSecret).optional(),
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
    })
    .superRefine((e, context) => {
      for (const prefix of BOOTSTRAP_PREFIXES) {
        const given = BOOTSTRAP_SUFFIXES.filter((suffix) => e[`${prefix}${suffix}`] !== undefined);
        const issue = (suffix: string, message: string) =>
          context.addIssue({ code: 'custom', path: [`${prefix}${suffix}`], message });
        if (given.includes('_SECRET') && given.includes('_SECRET_FILE'))
          issue('_SECRET_FILE', `set ${prefix}_SECRET or ${prefix}_SECRET_FILE, not both`);
        else if (given.length === 1 && given[0] === '_ID')
          issue('_SECRET', `${prefix}_SECRET or ${prefix}_SECRET_FILE is required with ${prefix}_ID`);
        else if (given.length > 0 && !given.includes('_ID'))
          issue('_ID', `is required with ${prefix}${given[0]}`);
      }
    }),
  (e) => ({
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
    tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
    secretRotationGraceSeconds: e.AUTH_SECRET_ROTATION_GRACE_SECONDS,
    bootstrapClients: [
      bootstrapClient(
        e.AUTH_PLATFORM_CLIENT_ID,
        e.AUTH_PLATFORM_CLIENT_SECRET ?? e.AUTH_PLATFORM_CLIENT_SECRET_FILE,
        {
          name: 'platform administrator',
          // Its operator scopes act on a tenant it names (?tenantId=), see operatedTenant().
          scopes: ['platform:admin', 'ops:read', 'ops:write'],
        },
      ),
      bootstrapClient(
        e.AUTH_TENANT_LOOKUP_CLIENT_ID,
        e.AUTH_TENANT_LOOKUP_CLIENT_SECRET ?? e.AUTH_TENANT_LOOKUP_CLIENT_SECRET_FILE,
        { name: 'tenant directory reader', scopes: ['tenants:lookup'] },
      ),
    ].filter((client) => client !== undefined),
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
