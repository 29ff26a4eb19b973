// Starts the fapiao suite as processes: used by `npm start` (main.mjs) and by the end-to-end tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const DIST_APPS = join(ROOT, 'dist/apps');
const REGISTER = join(ROOT, 'dist/libs/platform/observability/src/register.js');
/**
 * The same NODE_OPTIONS as the container image: a 16 MB young generation takes 15 % off the services' CPU
 * per invoice at saturation; idle RSS stays at 132–148 MB, the peak under load rises (docs/benchmarks.md).
 */
export const NODE_OPTIONS = '--max-semi-space-size=16';

/** Start order matters only for auth (others fetch its JWKS lazily) and the simulator (tax-bridge's peer). */
const START_ORDER = ['auth', 'tax-authority-sim', 'order', 'invoice', 'tax-bridge', 'reconciliation'];

/** Every app's identity, read from its compiled `service.js` so ports and schemas are defined once. */
export function services() {
  if (!existsSync(DIST_APPS)) throw new Error('dist/ is missing: run `npm run build` first');
  const found = readdirSync(DIST_APPS).map((name) => {
    // service.ts also exports the app's API info: the identity is the export with a port.
    const identity = Object.values(require(join(DIST_APPS, name, 'src/service.js'))).find(
      (value) => typeof value?.defaultPort === 'number',
    );
    return { ...identity, dir: name };
  });
  // The ops console is no service (no schema, nothing to migrate): opsConsole() below.
  return found
    .filter((identity) => identity.defaultDatabase)
    .sort((a, b) => START_ORDER.indexOf(a.name) - START_ORDER.indexOf(b.name));
}

/** The ops console (apps/ops-console): a web app proxying to the services, started with them. */
export function opsConsole() {
  const { OPS_CONSOLE_SERVICE } = require(join(DIST_APPS, 'ops-console/src/service.js'));
  return { ...OPS_CONSOLE_SERVICE, dir: 'ops-console' };
}

export function parseMysqlUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`MYSQL_URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'mysql:') throw new Error(`MYSQL_URL must start with mysql:// (got ${url})`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password || ''),
  };
}

/** Resolves when MySQL answers; rejects with one line an operator can act on. */
export async function checkMysql(mysqlUrl) {
  const { createConnection } = require('mysql2/promise');
  const db = parseMysqlUrl(mysqlUrl);
  const redacted = mysqlUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  try {
    const connection = await createConnection({ ...db, connectTimeout: 3000 });
    await connection.end();
  } catch (error) {
    throw new Error(
      `MySQL is not reachable at ${redacted} (${error.code ?? error.message}). ` +
        'Run tools/mariadb/ensure-mariadb.sh (as root: installs and starts MariaDB on this machine), ' +
        'start your MySQL there, or set MYSQL_URL=mysql://user:password@host:port',
    );
  }
}

/**
 * What the running `npm start` suite left in `.fapiao/` for tools that drive it (bench, chaos): the demo
 * tenant's credentials, the Kafka it uses (KAFKA_BROKERS wins) and the simulator's admin token
 * (SIM_ADMIN_TOKEN wins).
 */
export function npmStartState() {
  const credentialsFile = join(ROOT, '.fapiao/dev-credentials.json');
  if (!existsSync(credentialsFile))
    throw new Error(`${credentialsFile} is missing: is \`npm start\` running?`);
  const runtimeFile = join(ROOT, '.fapiao/runtime.json');
  const runtime = existsSync(runtimeFile) ? JSON.parse(readFileSync(runtimeFile, 'utf8')) : {};
  return {
    credentials: JSON.parse(readFileSync(credentialsFile, 'utf8')),
    kafkaBrokers: process.env.KAFKA_BROKERS ?? runtime.kafkaBrokers,
    simAdminToken: process.env.SIM_ADMIN_TOKEN ?? runtime.simAdminToken,
  };
}

/** Drops every schema whose name starts with `prefix`: test and chaos suites start clean and leave nothing. */
export async function dropSchemas(mysqlUrl, prefix) {
  const { createConnection } = require('mysql2/promise');
  const connection = await createConnection(parseMysqlUrl(mysqlUrl));
  try {
    const [rows] = await connection.query('SHOW DATABASES');
    for (const { Database } of rows) {
      if (Database.startsWith(prefix)) await connection.query(`DROP DATABASE \`${Database}\``);
    }
  } finally {
    await connection.end();
  }
}

/**
 * Development secrets (the key-encryption key of auth's signing keys), kept per user in
 * ~/.config/fapiao/dev-secrets.json so every checkout on this machine reads the signing keys any of them
 * stored in the shared MySQL. A checkout's older `.fapiao/dev-secrets.json` becomes the user's on first use.
 * Production keys come from Secrets, never from here.
 */
export function devSecrets(legacyDir) {
  const dir = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'fapiao');
  const file = join(dir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const legacy = legacyDir && join(legacyDir, 'dev-secrets.json');
  const secrets =
    legacy && existsSync(legacy)
      ? JSON.parse(readFileSync(legacy, 'utf8'))
      : { authKeyEncryptionKey: randomBytes(32).toString('base64') };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * Credentials of a platform client (no tenant) kept in `stateDir/<file>` as `{ clientId, clientSecret }`,
 * generated on first use. auth creates the client from them at boot (AUTH_PLATFORM_CLIENT_*,
 * AUTH_TENANT_LOOKUP_CLIENT_*), as an installation does from its Secret. One per checkout, so checkouts
 * sharing a MySQL do not overwrite each other's.
 */
export function platformClientCredentials(stateDir, file, prefix) {
  const path = join(stateDir, file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const credentials = {
    clientId: `${prefix}_${randomBytes(12).toString('hex')}`,
    clientSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/**
 * The environment every service gets, with per-suite port offset and schema prefix (tests run suites side by
 * side). The simulator alone gets the admin token of its control API; auth alone the platform clients to
 * create; the others the service client they read auth's tenant directory with.
 */
export function suiteEnv({
  mysqlUrl,
  kafkaBrokers,
  portOffset = 0,
  dbPrefix = '',
  secrets,
  simAdminToken,
  platformClient,
  lookupClient,
  extra = {},
}) {
  const db = parseMysqlUrl(mysqlUrl);
  const port = (service) => service.defaultPort + portOffset;
  const byName = Object.fromEntries(services().map((service) => [service.name, service]));
  const urlOf = (name) => `http://127.0.0.1:${port(byName[name])}`;
  const base = {
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    KAFKA_BROKERS: kafkaBrokers,
    AUTH_ISSUER: `http://127.0.0.1:${port(byName.auth)}`,
    AUTH_KEY_ENCRYPTION_KEY: secrets.authKeyEncryptionKey,
    TAX_AUTHORITY_URL: `http://127.0.0.1:${port(byName['tax-authority-sim'])}`,
    ...extra,
  };
  // The ops console gets the services' addresses and no secret: callers bring their own tokens.
  const opsConsoleEnv = (service) => ({
    ...extra,
    PORT: String(port(service)),
    OTEL_SERVICE_NAME: 'fapiao-ops-console',
    OPS_AUTH_URL: urlOf('auth'),
    OPS_ORDER_URL: urlOf('order'),
    OPS_INVOICE_URL: urlOf('invoice'),
    OPS_TAX_BRIDGE_URL: urlOf('tax-bridge'),
    OPS_RECONCILIATION_URL: urlOf('reconciliation'),
  });
  return (service) =>
    service.name === 'ops-console'
      ? opsConsoleEnv(service)
      : {
          ...base,
          PORT: String(port(service)),
          DB_NAME: `${dbPrefix}${service.defaultDatabase}`,
          KAFKA_CLIENT_ID: `fapiao-${service.name}`,
          OTEL_SERVICE_NAME: `fapiao-${service.name}`,
          ...(service.name === 'tax-authority-sim' && simAdminToken
            ? { SIM_ADMIN_TOKEN: simAdminToken }
            : {}),
          ...(service.name === 'auth' && platformClient
            ? {
                AUTH_PLATFORM_CLIENT_ID: platformClient.clientId,
                AUTH_PLATFORM_CLIENT_SECRET: platformClient.clientSecret,
              }
            : {}),
          ...(lookupClient &&
            (service.name === 'auth'
              ? {
                  AUTH_TENANT_LOOKUP_CLIENT_ID: lookupClient.clientId,
                  AUTH_TENANT_LOOKUP_CLIENT_SECRET: lookupClient.clientSecret,
                }
              : { AUTH_CLIENT_ID: lookupClient.clientId, AUTH_CLIENT_SECRET: lookupClient.clientSecret })),
        };
}

/** Runs a compiled script to completion; rejects with its output on a non-zero exit. */
export function runScript(script, env, args = []) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise(output.trim())
        : reject(new Error(`${script} exited ${code}: ${output.trim()}`)),
    );
  });
}

export async function migrateAll(envFor) {
  // One at a time: each creates its schema and runs its migrations; they share the MySQL server.
  const applied = [];
  for (const service of services()) {
    applied.push(await runScript(`dist/apps/${service.dir}/src/migrate.js`, envFor(service)));
  }
  return applied;
}

/** Starts one service process; its output lines go to `log(serviceName, line)`. */
export function startService(service, env, log) {
  const child = spawn(
    process.execPath,
    ['--require', REGISTER, join(DIST_APPS, service.dir, 'src/main.js')],
    {
      env: { ...process.env, NODE_OPTIONS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) log(service.name, line);
    });
  }
  return child;
}

/** Whether the service at `url` answers /readyz with 200 now. */
export async function isReady(url, timeoutMs = 2000) {
  try {
    return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) })).status === 200;
  } catch {
    return false; // not listening (yet)
  }
}

export async function waitReady(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`${url}: the process exited with ${child.exitCode}`);
    if (await isReady(url)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

/** Sends SIGTERM and resolves with the exit code (or signal) once the process has ended. */
export function stopProcess(child, timeoutMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolvePromise) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(kill);
      resolvePromise(code ?? signal);
    });
    child.kill('SIGTERM');
  });
}

/**
 * Migrates, seeds the demo tenant and starts every service (or `only` those named); resolves once all
 * answer /readyz. `stop()` ends them with SIGTERM and reports each exit code.
 */
export async function startSuite(options) {
  const { stateDir, only, replicas = {}, log = () => {}, readyTimeoutMs = 60_000 } = options;
  const secrets = devSecrets(stateDir);
  // A fresh admin token of the simulator's control API per suite, unless the caller chose one.
  const simAdminToken =
    options.simAdminToken ?? process.env.SIM_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  const platformClient = platformClientCredentials(stateDir, 'platform-credentials.json', 'plt');
  const lookupClient = platformClientCredentials(stateDir, 'service-credentials.json', 'svc');
  const envFor = suiteEnv({ ...options, secrets, simAdminToken, platformClient, lookupClient });
  const selected = [...services(), opsConsole()].filter((service) => !only || only.includes(service.name));
  await migrateAll(envFor);
  const auth = services().find((service) => service.name === 'auth');
  const seeded = await runScript('dist/apps/auth/src/cli.js', envFor(auth), [
    'seed-demo',
    '--out',
    join(stateDir, 'dev-credentials.json'),
  ]).catch((error) => {
    // Seeded with a key that is not this user's (another user, or secrets deleted): say how to get going.
    if (!/cannot decrypt the active signing key/.test(error.message)) throw error;
    throw new Error(
      `${error.message}\nThe database ${envFor(auth).DB_NAME} holds signing keys encrypted with another key ` +
        'than ~/.config/fapiao/dev-secrets.json: drop that database to start afresh.',
    );
  });
  const credentials = JSON.parse(seeded);

  // Never leave services behind when whoever started them dies (a crashed test run, an error in a tool).
  const killAll = () => running.forEach(({ child }) => child.exitCode === null && child.kill('SIGKILL'));
  process.once('exit', killAll);

  // `replicas: { invoice: 2 }` runs more processes of a service (the bench's scale-out runs): the same
  // database and consumer groups, each on its own port (+50 per replica) and Kafka client id.
  const instances = selected.flatMap((service) =>
    Array.from({ length: replicas[service.name] ?? 1 }, (_, index) => {
      const env = envFor(service);
      if (index === 0) return { name: service.name, service, env };
      return {
        name: `${service.name}#${index + 1}`,
        service,
        env: {
          ...env,
          PORT: String(Number(env.PORT) + 50 * index),
          KAFKA_CLIENT_ID: `${env.KAFKA_CLIENT_ID}-${index + 1}`,
        },
      };
    }),
  );
  const running = instances.map(({ name, service, env }) => ({
    name,
    service,
    url: `http://127.0.0.1:${env.PORT}`,
    env,
    child: startService(service, env, log),
  }));
  /** Ends one service (SIGKILL simulates a crash) and starts it again with the same environment. */
  const restart = async (name, signal = 'SIGKILL') => {
    const entry = running.find((r) => r.service.name === name);
    if (!entry) throw new Error(`${name} is not part of this suite`);
    await new Promise((done) => {
      entry.child.once('exit', done);
      entry.child.kill(signal);
    });
    entry.child = startService(entry.service, entry.env, log);
    await waitReady(entry.url, readyTimeoutMs, entry.child);
  };
  const stop = async () => {
    process.off('exit', killAll);
    return Object.fromEntries(
      await Promise.all(running.map(async ({ name, child }) => [name, await stopProcess(child)])),
    );
  };
  try {
    await Promise.all(running.map(({ url, child }) => waitReady(url, readyTimeoutMs, child)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { running, credentials, platformCredentials: platformClient, simAdminToken, envFor, stop, restart };
}
