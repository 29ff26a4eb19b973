import { z } from 'zod';
import { defineConfig, env, Secret } from '@fapiao/platform/config';
import { parseMaintenanceDays } from '@fapiao/invoice-domain';

export const SIM_CONFIG = 'fapiao:config:sim';

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine reaches. */
export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

export const simConfig = defineConfig(
  'sim',
  z
    .object({
      /** Digit 5 of every number this authority issues. */
      SIM_NUMBER_CHANNEL: z.string().regex(/^\d$/, 'one digit').default('1'),
      /** The monthly maintenance calendar; `false` for e2e tests and `npm start` on the 25th–27th. */
      SIM_MAINTENANCE_ENABLED: env.bool(true),
      SIM_MAINTENANCE_DAYS: z
        .string()
        .default('25-27')
        .superRefine((text, context) => {
          const parsed = parseMaintenanceDays(text);
          if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.message });
        }),
      /** Steady limit on invoices per second and process, as the real platform enforces; 0 = none. */
      SIM_RATE_LIMIT_PER_SECOND: env.int(500, 0),
      /** Sequence numbers reserved per statement and handed out in memory (lost on restart: gaps). */
      SIM_NUMBER_BLOCK_SIZE: env.int(1_000, 1),
      /** Bearer token of the control API (faults, calendar, buyer answers); optional only on loopback. */
      SIM_ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').max(256).optional(),
      HOST: z.string().default('0.0.0.0'),
    })
    .superRefine((e, context) => {
      if (e.SIM_ADMIN_TOKEN === undefined && !isLoopback(e.HOST)) {
        context.addIssue({
          code: 'custom',
          path: ['SIM_ADMIN_TOKEN'],
          message: `is required unless HOST is a loopback address (HOST is ${e.HOST}): it guards the control API`,
        });
      }
    }),
  (e) => ({
    channel: e.SIM_NUMBER_CHANNEL,
    numberBlockSize: e.SIM_NUMBER_BLOCK_SIZE,
    maintenance: { enabled: e.SIM_MAINTENANCE_ENABLED, days: e.SIM_MAINTENANCE_DAYS },
    rateLimitPerSecond: e.SIM_RATE_LIMIT_PER_SECOND === 0 ? null : e.SIM_RATE_LIMIT_PER_SECOND,
    /** null: bound to loopback without a token, where only this machine reaches the control API. */
    adminToken: e.SIM_ADMIN_TOKEN ? new Secret(e.SIM_ADMIN_TOKEN) : null,
  }),
);

export type SimConfig = ReturnType<typeof simConfig.read>;
