import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';
import { parseMaintenanceDays } from '@fapiao/invoice-domain';

export const SIM_CONFIG = 'fapiao:config:sim';

export const simConfig = defineConfig(
  'sim',
  z.object({
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
  }),
  (e) => ({
    channel: e.SIM_NUMBER_CHANNEL,
    numberBlockSize: e.SIM_NUMBER_BLOCK_SIZE,
    maintenance: { enabled: e.SIM_MAINTENANCE_ENABLED, days: e.SIM_MAINTENANCE_DAYS },
    rateLimitPerSecond: e.SIM_RATE_LIMIT_PER_SECOND === 0 ? null : e.SIM_RATE_LIMIT_PER_SECOND,
  }),
);

export type SimConfig = ReturnType<typeof simConfig.read>;
