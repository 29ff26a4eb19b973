import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';
import type { Upstream } from './proxy';
import { OPS_CONSOLE_SERVICE } from './service';

/** Where the console proxies `/api/<service>/…`: every service's base URL, validated at boot. */
export const opsConsoleConfig = defineConfig(
  'ops-console',
  z.object({
    PORT: env.port(OPS_CONSOLE_SERVICE.defaultPort),
    OPS_AUTH_URL: env.url(),
    OPS_ORDER_URL: env.url(),
    OPS_INVOICE_URL: env.url(),
    OPS_TAX_BRIDGE_URL: env.url(),
    OPS_RECONCILIATION_URL: env.url(),
    /** Jaeger's UI, for the per-order trace links; without it the console shows none. */
    OPS_JAEGER_UI_URL: env.url().optional(),
  }),
  (e) => ({
    port: e.PORT,
    upstreams: {
      auth: e.OPS_AUTH_URL,
      order: e.OPS_ORDER_URL,
      invoice: e.OPS_INVOICE_URL,
      'tax-bridge': e.OPS_TAX_BRIDGE_URL,
      reconciliation: e.OPS_RECONCILIATION_URL,
    } satisfies Record<Upstream, string>,
    jaegerUiUrl: e.OPS_JAEGER_UI_URL ?? null,
  }),
);

export type OpsConsoleConfig = ReturnType<typeof opsConsoleConfig.read>;
