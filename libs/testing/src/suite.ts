import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Typed access to tools/dev-supervisor/suite.mjs: the same code that runs `npm start`. */
export interface RunningService {
  service: { name: string; defaultPort: number; defaultDatabase: string };
  url: string;
  env: Record<string, string>;
  child: ChildProcess;
}

export interface DevCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  sellerTaxId: string;
}

/** A platform client's (`.fapiao/platform-credentials.json`): no tenant, scope platform:admin. */
export interface PlatformCredentials {
  clientId: string;
  clientSecret: string;
}

export interface Suite {
  running: RunningService[];
  credentials: DevCredentials;
  platformCredentials: PlatformCredentials;
  /** Bearer token of the simulator's control API (faults, maintenance calendar, buyer answers). */
  simAdminToken: string;
  stop(): Promise<Record<string, number | string>>;
  /** Ends one service (SIGKILL by default: a crash) and starts it again; resolves once it is ready. */
  restart(name: string, signal?: NodeJS.Signals): Promise<void>;
}

export interface SuiteOptions {
  mysqlUrl: string;
  kafkaBrokers: string;
  stateDir: string;
  portOffset: number;
  dbPrefix: string;
  simAdminToken?: string;
  only?: string[];
  extra?: Record<string, string>;
  log?: (service: string, line: string) => void;
}

interface SuiteModule {
  startSuite(options: SuiteOptions): Promise<Suite>;
  /** The services with a database (the ops console is not one of them). */
  services(): { name: string }[];
  stopProcess(child: ChildProcess, timeoutMs?: number): Promise<number | string>;
  dropSchemas(mysqlUrl: string, prefix: string): Promise<void>;
}

const SUITE = pathToFileURL(join(__dirname, '../../../tools/dev-supervisor/suite.mjs')).href;

export const suiteModule = (): Promise<SuiteModule> => import(SUITE) as Promise<SuiteModule>;

/** Drops the schemas a suite created, so e2e runs start clean and leave nothing behind. */
export async function dropSchemas(mysqlUrl: string, prefix: string): Promise<void> {
  await (await suiteModule()).dropSchemas(mysqlUrl, prefix);
}

/** Client-credentials token from the suite's auth service. */
export async function fetchToken(
  authUrl: string,
  credentials: Pick<DevCredentials, 'clientId' | 'clientSecret'>,
  scope?: string,
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    ...(scope ? { scope } : {}),
  });
  const response = await fetch(`${authUrl}/oauth/token`, { method: 'POST', body });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Polls until `probe` returns true or the time runs out; returns how long it took. */
export async function eventually(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

export const statusOf = async (url: string, init?: RequestInit): Promise<number> =>
  (await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) })).status;

export interface TestSuiteOptions {
  /** Schema prefix of this test file: its schemas are dropped before and after. */
  dbPrefix: string;
  /** Added to every service's port, so test files never collide with each other or with `npm start`. */
  portOffset: number;
  /** Where the services connect (e.g. through a TcpProxy); defaults to MYSQL_URL. */
  mysqlUrl?: string;
  extra?: Record<string, string>;
  log?: (service: string, line: string) => void;
  /** Only these services (all by default). */
  only?: string[];
  /** Also the ops console (apps/ops-console); off by default: most files test the services alone. */
  console?: boolean;
}

export const MYSQL_URL = process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306';

/** The whole suite for one e2e file, on the Kafka of the Jest run; `dispose()` stops it and drops its schemas. */
export async function startTestSuite(
  options: TestSuiteOptions,
): Promise<Suite & { dispose(): Promise<void> }> {
  await dropSchemas(MYSQL_URL, options.dbPrefix);
  const { startSuite, services } = await suiteModule();
  const suite = await startSuite({
    mysqlUrl: options.mysqlUrl ?? MYSQL_URL,
    kafkaBrokers: process.env['KAFKA_BROKERS'] ?? '',
    stateDir: mkdtempSync(join(tmpdir(), 'fapiao-e2e-')),
    portOffset: options.portOffset,
    dbPrefix: options.dbPrefix,
    only: options.only ?? (options.console ? undefined : services().map((service) => service.name)),
    extra: {
      LOG_LEVEL: 'warn',
      SIM_MAINTENANCE_ENABLED: 'false',
      TAX_MAINTENANCE_ENABLED: 'false',
      ...options.extra,
    },
    log: options.log,
  });
  return Object.assign(suite, {
    dispose: async () => {
      await suite.stop();
      await dropSchemas(MYSQL_URL, options.dbPrefix);
    },
  });
}
