// Jaeger v2 (the all-in-one `jaeger` binary: an OpenTelemetry collector distribution with Jaeger's storage
// and query API) for `npm start` and the tracing e2e test. The Go module proxy is the only place our
// machines can get it, so it is built from there once per machine and cached (see README.md).
// Plain ESM JavaScript: the dev supervisor imports it, and so does libs/testing (CommonJS).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { cacheRoot, executable, lock, run } from '../lib/build-cache.mjs';
import { freePort } from '../lib/ports.mjs';

const MODULE = 'github.com/jaegertracing/jaeger';
// The module's v1.x tags carry the v2 binary (cmd/jaeger); an exact version keeps the cache key honest.
const VERSION = 'v1.76.0';
/** The Jaeger v2 release that module version is (its CHANGELOG: "v1.76.0 / v2.13.0"): k8s/'s image tag. */
export const JAEGER_RELEASE = '2.13.0';
// The machine's Go: on PATH, else where Go's own installer puts it.
const GO = process.env.GO ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go');
const FIRST_BUILD = 'about 8 minutes on 2 cores';

const START_TIMEOUT_MS = 30_000;
// Said at every start of a binary built from the module: no version stamped, no web UI embedded (README.md).
const EXPECTED = /application version: git-commit=,|ui assets not embedded/;
const STOP_TIMEOUT_MS = 5_000;

/** Returns the path of the cached `jaeger` binary, building it first on a cache miss. */
export async function ensureJaeger({ log = () => {} } = {}) {
  const root = cacheRoot();
  const dir = join(root, `jaeger-${VERSION}`);
  const binary = join(dir, 'jaeger');
  if (await executable(binary)) return binary;

  await mkdir(root, { recursive: true });
  // A concurrent caller builds while we wait, then we find its binary.
  const unlock = await lock(join(root, `jaeger-${VERSION}.lock`), () =>
    log('jaeger: another process is building jaeger; waiting'),
  );
  try {
    if (!(await executable(binary))) await build(root, dir, log);
  } finally {
    unlock();
  }
  return binary;
}

async function build(root, dir, log) {
  const started = Date.now();
  const work = await mkdtemp(join(root, `jaeger-${VERSION}.tmp-`));
  // Never switch to another toolchain download; go1.26 builds the module's go1.24 code.
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off' };
  const go = (...args) => run('jaeger', GO, args, work, env);
  try {
    log(
      `jaeger: not cached; building ${MODULE}/cmd/jaeger@${VERSION} from the Go module proxy into ${dir} ` +
        `(once per machine; the first build takes ${FIRST_BUILD})`,
    );
    await go('mod', 'init', 'fapiao.local/jaeger-build');
    // `go install pkg@version` refuses modules whose go.mod has replace directives, and Jaeger's has one
    // (sarama). A throwaway module that repeats them builds exactly what Jaeger's own build does.
    const { GoMod } = JSON.parse(await go('mod', 'download', '-json', `${MODULE}@${VERSION}`));
    const { Replace = [] } = JSON.parse(await go('mod', 'edit', '-json', GoMod));
    for (const { Old, New } of Replace) {
      if (!New.Version) throw new Error(`jaeger: ${MODULE} replaces ${Old.Path} with a directory`);
      const old = Old.Version ? `${Old.Path}@${Old.Version}` : Old.Path;
      await go('mod', 'edit', `-replace=${old}=${New.Path}@${New.Version}`);
    }
    await go('get', `${MODULE}/cmd/jaeger@${VERSION}`);
    await go(
      'build',
      '-trimpath',
      '-ldflags=-s -w',
      '-o',
      join(work, 'out', 'jaeger'),
      `${MODULE}/cmd/jaeger`,
    );
    await rename(join(work, 'out'), dir);
    log(`jaeger: built ${join(dir, 'jaeger')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Jaeger's collector configuration: OTLP/HTTP in, in-memory storage, the query API out, every listener on
 * loopback. Anything not named here (OTLP gRPC, Jaeger and Zipkin receivers, remote sampling, health check,
 * the collector's own metrics) is not started at all.
 */
export function jaegerConfig({ otlpHttpPort, queryPort }) {
  return `
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memory_store:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memory_store
    # Off: it would export Jaeger's own spans over OTLP to the default localhost:4318.
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:${queryPort}
    grpc:
      endpoint: 127.0.0.1:0
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlpHttpPort}
exporters:
  jaeger_storage_exporter:
    trace_storage: memory_store
`;
}

/**
 * Starts Jaeger (building it first on a cache miss) and resolves once its query API answers. Port 0 picks
 * a free port. The process gets SIGTERM when ours ends, however it ends.
 * @param {object} options
 * @param {number} [options.otlpHttpPort] OTLP/HTTP receiver (the services' OTEL_EXPORTER_OTLP_ENDPOINT)
 * @param {number} [options.queryPort] query API (/api/traces, /api/v3/traces)
 * @param {(line: string) => void} [options.log]
 */
export async function startJaeger({ otlpHttpPort = 0, queryPort = 0, log = () => {} } = {}) {
  const binary = await ensureJaeger({ log });
  const started = Date.now();
  const ports = { otlpHttpPort: await freePort(otlpHttpPort), queryPort: await freePort(queryPort) };
  // setpriv's PR_SET_PDEATHSIG: the kernel signals Jaeger when we die, even by SIGKILL (Jaeger reads no
  // stdin, so closing a pipe would not do).
  const child = spawn(
    'setpriv',
    ['--pdeathsig', 'TERM', '--', binary, `--config=yaml:${jaegerConfig(ports)}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolvePromise) => {
    child.once('exit', (code, signal) => resolvePromise(signal ?? code));
    child.once('error', (err) => resolvePromise(err.message));
  });
  let stopping;
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > 20) output.shift();
      if (!EXPECTED.test(line)) log(`jaeger: ${line}`);
    });
  }
  exited.then((status) => {
    if (!stopping) log(`jaeger: exited unexpectedly with ${status}`);
  });

  const otlpEndpoint = `http://127.0.0.1:${ports.otlpHttpPort}`;
  const queryUrl = `http://127.0.0.1:${ports.queryPort}`;
  const stop = () => {
    stopping ??= (async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  try {
    await waitForQuery(queryUrl, exited);
  } catch (err) {
    await stop();
    throw new Error(`jaeger: ${err.message}\n${output.join('\n')}`);
  }
  log(
    `jaeger: OTLP/HTTP at ${otlpEndpoint}, query API at ${queryUrl} (started in ${Date.now() - started} ms)`,
  );
  return { otlpEndpoint, queryUrl, stop };
}

async function waitForQuery(queryUrl, exited) {
  let status;
  exited.then((s) => (status = s));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (status !== undefined) throw new Error(`exited with ${status} before its query API answered`);
    const response = await fetch(`${queryUrl}/api/services`, { signal: AbortSignal.timeout(1000) }).catch(
      () => null,
    );
    if (response?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`query API at ${queryUrl} not answering within ${START_TIMEOUT_MS} ms`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(await ensureJaeger({ log: (line) => console.error(line) }));
}
