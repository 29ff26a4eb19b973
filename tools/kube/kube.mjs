// A real Kubernetes API server for tests, envtest-style: etcd + kube-apiserver, no kubelet, no controllers.
// Both come from the Go module proxy (the only place our machines reach), built once per machine and cached
// under ~/.cache/fapiao/kube-<version>/ (see README.md). Plain ESM: Jest specs import it with import().
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { cacheRoot, executable, lock, run } from '../lib/build-cache.mjs';
import { freePort } from '../lib/ports.mjs';

export const KUBERNETES = 'v1.37.2';
/** k8s.io/kubernetes v1.X.Y publishes its staging modules (k8s.io/api, …) as v0.X.Y. */
const STAGING = KUBERNETES.replace(/^v1\./, 'v0.');
/** What k8s.io/kubernetes v1.37.2 itself requires: the etcd it is tested with. */
export const ETCD = 'v3.7.0';
const GO = process.env.GO ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go');
const FIRST_BUILD = 'about 16 minutes on 2 cores';
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 5_000;
const NAME = `kube-${KUBERNETES}`;

/** Paths of the cached `etcd` and `kube-apiserver`, building them first on a cache miss. */
export async function ensureKube({ log = () => {} } = {}) {
  const root = cacheRoot();
  const dir = join(root, NAME);
  const binaries = { etcd: join(dir, 'etcd'), apiserver: join(dir, 'kube-apiserver') };
  const ready = async () => (await executable(binaries.etcd)) && (await executable(binaries.apiserver));
  if (await ready()) return binaries;
  await mkdir(root, { recursive: true });
  const unlock = await lock(join(root, `${NAME}.lock`), () =>
    log('kube: another process is building kube-apiserver; waiting'),
  );
  try {
    if (!(await ready())) await build(root, dir, log);
  } finally {
    unlock();
  }
  return binaries;
}

async function build(root, dir, log) {
  const started = Date.now();
  const work = await mkdtemp(join(root, `${NAME}.tmp-`));
  // Never download another toolchain; one compile at a time and a lower priority, so tests beside it run.
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-p=1 -buildvcs=false' };
  const go = (...args) => run('kube', 'nice', ['-n', '10', GO, ...args], work, env);
  try {
    log(
      `kube: not cached; building kube-apiserver ${KUBERNETES} and etcd ${ETCD} from the Go module proxy ` +
        `into ${dir} (once per machine; the first build takes ${FIRST_BUILD})`,
    );
    await go('mod', 'init', 'fapiao.local/kube-build');
    // k8s.io/kubernetes replaces its staging modules with ./staging/src/… folders, which `go install`
    // refuses; this module points each at its published version instead.
    const { GoMod } = JSON.parse(await go('mod', 'download', '-json', `k8s.io/kubernetes@${KUBERNETES}`));
    const { Replace = [] } = JSON.parse(await go('mod', 'edit', '-json', GoMod));
    for (const { Old, New } of Replace) {
      const to = New.Version ? `${New.Path}@${New.Version}` : `${Old.Path}@${STAGING}`;
      await go('mod', 'edit', `-replace=${Old.Path}=${to}`);
    }
    await go(
      'get',
      `k8s.io/kubernetes/cmd/kube-apiserver@${KUBERNETES}`,
      `go.etcd.io/etcd/server/v3@${ETCD}`,
    );
    const out = join(work, 'out');
    for (const [binary, pkg] of [
      ['etcd', 'go.etcd.io/etcd/server/v3'],
      ['kube-apiserver', 'k8s.io/kubernetes/cmd/kube-apiserver'],
    ]) {
      await go('build', '-trimpath', '-ldflags=-s -w', '-o', join(out, binary), pkg);
      log(`kube: built ${binary} (${((Date.now() - started) / 1000).toFixed(0)} s so far)`);
    }
    await rename(out, dir);
    log(`kube: built ${dir} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A CA, the API server's serving certificate (127.0.0.1), an admin client (system:masters), SA keys. */
async function certificates(dir) {
  const ssl = (...args) => run('kube', 'openssl', args, dir, process.env);
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=fapiao-test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  const issue = async (name, subject, extensions) => {
    await writeFile(join(dir, `${name}.ext`), extensions);
    await ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    await ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  };
  await issue(
    'serving',
    '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await issue('admin', '/O=system:masters/CN=fapiao-admin', 'extendedKeyUsage=clientAuth\n');
  await ssl('genrsa', '-out', 'sa.key', '2048');
  await ssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  const pem = (file) => readFile(join(dir, file));
  return { ca: await pem('ca.crt'), cert: await pem('admin.crt'), key: await pem('admin.key') };
}

function launch(label, binary, args, log) {
  // setpriv's PR_SET_PDEATHSIG: the kernel ends the process when ours ends, even by SIGKILL.
  const child = spawn('setpriv', ['--pdeathsig', 'TERM', '--', binary, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > 30) output.shift();
    });
  }
  const exited = new Promise((resolvePromise) => {
    child.once('exit', (code, signal) => resolvePromise(signal ?? code));
    child.once('error', (err) => resolvePromise(err.message));
  });
  let stopping;
  exited.then((status) => stopping || log(`kube: ${label} exited unexpectedly with ${status}`));
  const stop = () => {
    stopping ??= (async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  return { exited, stop, output };
}

function get(url, tls) {
  return new Promise((resolvePromise) => {
    const req = request(url, { ...tls, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode));
    });
    req.on('error', () => resolvePromise(null));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Starts etcd and kube-apiserver on free loopback ports with fresh certificates, and resolves once
 * /readyz answers 200: { server, kubeconfig (a file), namespace, ca, cert, key, stop() }.
 */
export async function startKube({ namespace = 'default', log = () => {} } = {}) {
  const { etcd, apiserver } = await ensureKube({ log });
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'fapiao-kube-'));
  const tls = await certificates(dir);
  const [client, peer, secure] = [await freePort(), await freePort(), await freePort()];
  const etcdProcess = launch(
    'etcd',
    etcd,
    [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${client}`,
      `--advertise-client-urls=http://127.0.0.1:${client}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=default=http://127.0.0.1:${peer}`,
      // Test data: losing it on a crash costs nothing, and fsync would dominate on a shared disk.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    log,
  );
  const apiProcess = launch(
    'kube-apiserver',
    apiserver,
    [
      `--etcd-servers=http://127.0.0.1:${client}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // The `kubernetes` Service's endpoint may not be loopback; nothing here needs that Service.
      '--endpoint-reconciler-type=none',
      `--secure-port=${secure}`,
      `--cert-dir=${dir}`,
      `--tls-cert-file=${join(dir, 'serving.crt')}`,
      `--tls-private-key-file=${join(dir, 'serving.key')}`,
      `--client-ca-file=${join(dir, 'ca.crt')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      // Only stored in etcd: nothing routes to this range (there is no kube-proxy).
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      // No controller manager creates the namespaces' default ServiceAccounts.
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--v=0',
    ],
    log,
  );
  const stop = async () => {
    await apiProcess.stop();
    await etcdProcess.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const server = `https://127.0.0.1:${secure}`;
  try {
    let apiStatus;
    apiProcess.exited.then((s) => (apiStatus = s));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while ((await get(`${server}/readyz`, tls)) !== 200) {
      if (apiStatus !== undefined) throw new Error(`kube-apiserver exited with ${apiStatus}`);
      if (Date.now() > deadline) throw new Error(`kube-apiserver not ready within ${START_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    const tail = [...etcdProcess.output, ...apiProcess.output].join('\n');
    await stop();
    throw new Error(`kube: ${error.message}\n${tail}`);
  }
  const b64 = (buffer) => buffer.toString('base64');
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fapiao-test', cluster: { server, 'certificate-authority-data': b64(tls.ca) } }],
      users: [
        {
          name: 'fapiao-admin',
          user: { 'client-certificate-data': b64(tls.cert), 'client-key-data': b64(tls.key) },
        },
      ],
      contexts: [
        { name: 'fapiao-test', context: { cluster: 'fapiao-test', user: 'fapiao-admin', namespace } },
      ],
      'current-context': 'fapiao-test',
    }),
  );
  log(`kube: API server at ${server} (started in ${Date.now() - started} ms), kubeconfig ${kubeconfig}`);
  return { server, kubeconfig, namespace, ...tls, stop };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const binaries = await ensureKube({ log: (line) => console.error(line) });
  console.log(`${binaries.etcd}\n${binaries.apiserver}`);
}
