// Builds tools/dev-broker/mock-broker.c against librdkafka (whose mock cluster is the dev broker) and
// caches the binary per machine. librdkafka's source comes only from the npm package below, the one
// registry this project can reach. `node tools/dev-broker/build.mjs` prints the binary's path.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import {
  access,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'mock-broker.c');

// An exact version: the tarball, and so librdkafka, never changes under the same cache key.
const PACKAGE = '@confluentinc/kafka-javascript@1.10.1';
const LIBRDKAFKA_VERSION = '2.15.1';
// The mock needs no TLS, SASL, HTTP or compression (it stores record batches as sent), so the build
// needs only gcc and make: no -dev packages.
const CONFIGURE_FLAGS = [
  '--no-download',
  '--disable-ssl',
  '--disable-gssapi',
  '--disable-sasl',
  '--disable-zlib',
  '--disable-zstd',
  '--disable-lz4-ext',
  '--disable-curl',
  '--disable-syslog',
];
const CFLAGS = ['-O2', '-Wall'];
// mock-broker.c wraps bind() to give the mock's listeners fixed ports (--port).
const LDFLAGS = ['-Wl,--wrap=bind'];

// librdkafka's mock thread serves its op queue, then drains its wake-up pipe: an op queued in between
// loses its wake-up and waits for the 1 s poll timeout. Our rapid ops (a topic each at start, reset)
// made starts take 1-7 s. Serving the queue again after the drain closes the gap.
const PATCHES = [
  {
    file: 'src/rdkafka_mock.c',
    find: '                r--;\n        }\n\n        return 0;\n}\n',
    replace:
      '                r--;\n        }\n\n' +
      '        rd_kafka_q_serve(mcluster->ops, RD_POLL_NOWAIT, 0,\n' +
      '                         RD_KAFKA_Q_CB_CALLBACK, NULL, NULL);\n\n' +
      '        return 0;\n}\n',
  },
];

export function cacheDir() {
  if (process.env.FAPIAO_DEV_BROKER_CACHE) return resolve(process.env.FAPIAO_DEV_BROKER_CACHE);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fapiao', 'dev-broker');
}

async function cacheKey() {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ PACKAGE, LIBRDKAFKA_VERSION, PATCHES, CONFIGURE_FLAGS, CFLAGS, LDFLAGS }));
  hash.update(await readFile(SOURCE));
  return hash.digest('hex').slice(0, 16);
}

const exists = (path) =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
// A build takes about a minute: a lock or work dir this old belongs to a build that died.
const STALE_MS = 15 * 60_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Returns the path of the cached mock-broker binary, building it first on a cache miss. */
export async function buildMockBroker({ log = console.log } = {}) {
  const root = cacheDir();
  const key = await cacheKey();
  const binary = join(root, key, 'mock-broker');
  if (await exists(binary)) return binary;

  await mkdir(root, { recursive: true });
  const lock = join(root, `${key}.lock`);
  // The lock only spares a second, concurrent build; build()'s atomic rename keeps the cache sound anyway.
  for (let waited = false; ;) {
    if (await exists(binary)) return binary;
    if (await takeLock(lock)) break;
    if (!waited) log(`dev-broker: another process is building mock-broker (${lock}); waiting`);
    waited = true;
    await sleep(1000);
  }
  try {
    await removeAbandonedBuilds(root, key);
    if (!(await exists(binary))) await build(root, key, log);
  } finally {
    await unlink(lock).catch(() => {});
  }
  return binary;
}

/** Creates the lock file atomically (link); takes it over if its owner died or it is too old for a build. */
async function takeLock(lock) {
  const mine = `${lock}.${process.pid}`;
  await writeFile(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(mine, lock);
        return true;
      } catch (err) {
        if (err.code !== 'EEXIST') throw err;
      }
      const owner = Number(await readFile(lock, 'utf8').catch(() => 0));
      const age = Date.now() - ((await stat(lock).catch(() => null))?.mtimeMs ?? 0);
      if (owner && isAlive(owner) && age < STALE_MS) return false;
      await unlink(lock).catch(() => {});
    }
    return false;
  } finally {
    await unlink(mine).catch(() => {});
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Work dirs of builds that were killed (Ctrl-C on a first start) hold ~100 MB each. */
async function removeAbandonedBuilds(root, key) {
  for (const name of await readdir(root)) {
    const path = join(root, name);
    if (name.startsWith(`${key}.tmp-`) && Date.now() - (await stat(path)).mtimeMs > STALE_MS) {
      await rm(path, { recursive: true, force: true });
    }
  }
}

async function build(root, key, log) {
  const started = Date.now();
  const work = await mkdtemp(join(root, `${key}.tmp-`));
  const logFile = join(work, 'build.log');
  const out = createWriteStream(logFile);
  const step = async (what, cmd, args, cwd) => {
    log(`dev-broker: ${what}`);
    try {
      return await run(cmd, args, cwd, out);
    } catch (err) {
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-40).join('\n');
      throw new Error(`dev-broker: building mock-broker failed at "${what}": ${err.message}\n${tail}`);
    }
  };
  try {
    log(
      `dev-broker: mock-broker not cached; building it in ${work} (once per machine, about a minute on 2 cores)`,
    );
    const packed = await step(`npm pack ${PACKAGE}`, 'npm', ['pack', PACKAGE, '--silent'], work);
    const tarball = packed.trim().split('\n').pop();
    await step('unpack librdkafka', 'tar', ['-xzf', tarball, 'package/deps/librdkafka'], work);
    const src = join(work, 'package', 'deps', 'librdkafka');
    for (const { file, find, replace } of PATCHES) {
      const path = join(src, file);
      const text = await readFile(path, 'utf8');
      if (text.split(find).length !== 2)
        throw new Error(`dev-broker: the patch for ${file} no longer applies`);
      await writeFile(path, text.replace(find, replace));
    }
    await step('configure librdkafka', './configure', CONFIGURE_FLAGS, src);
    const config = await readFile(join(src, 'Makefile.config'), 'utf8');
    const version = /^MKL_APP_VERSION=\s*(\S+)/m.exec(config)?.[1];
    if (version !== LIBRDKAFKA_VERSION) {
      throw new Error(
        `dev-broker: ${PACKAGE} carries librdkafka ${version}; build.mjs expects ${LIBRDKAFKA_VERSION}`,
      );
    }
    await step('make -j2 librdkafka.a', 'make', ['-j2', '-C', 'src', 'librdkafka.a'], src);
    // The system libraries the static archive needs, as configure found them.
    const libs = [...config.matchAll(/^LIBS\+?=(.*)$/gm)]
      .flatMap((m) => m[1].trim().split(/\s+/))
      .filter(Boolean);
    const target = join(work, key, 'mock-broker');
    await mkdir(dirname(target));
    await step('link mock-broker', process.env.CC || 'cc', [
      ...CFLAGS,
      `-I${join(src, 'src')}`,
      '-o',
      target,
      SOURCE,
      join(src, 'src', 'librdkafka.a'),
      ...LDFLAGS,
      ...libs,
    ]);
    // Complete or absent: a concurrent build that finished first keeps its copy (rename fails).
    await rename(dirname(target), join(root, key)).catch(async (err) => {
      if (!(await exists(join(root, key, 'mock-broker')))) throw err;
    });
    log(
      `dev-broker: built ${join(root, key, 'mock-broker')} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    out.end();
    await rm(work, { recursive: true, force: true });
  }
}

function run(cmd, args, cwd, out) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      out.write(chunk);
    });
    child.stderr.on('data', (chunk) => out.write(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolvePromise(stdout) : reject(new Error(`${cmd} exited with ${signal ?? code}`)),
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(await buildMockBroker({ log: (line) => console.error(line) }));
}
