/**
 * The console's identity for the dev supervisor: a port and no database (nothing to migrate), so it is no
 * ServiceIdentity.
 */
export const OPS_CONSOLE_SERVICE = {
  name: 'ops-console',
  defaultPort: 3020,
  defaultDatabase: null,
} as const;
