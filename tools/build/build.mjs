// Compiles apps/ and libs/ to dist/ with SWC (decorator metadata for Nest DI, tsconfig path aliases
// rewritten to relative requires). Type checking is `npm run typecheck`; this step only emits.
// `--project <root>` (repeatable, e.g. `--project apps/order`) compiles only those project folders and replaces
// only their part of dist/ (the per-project Nx `build` target); without it, all of apps/ and libs/ afresh.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'dist');
const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

const projectRoots = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  const value =
    arg === '--project' ? process.argv[++i] : arg.startsWith('--project=') ? arg.slice(10) : undefined;
  if (value === undefined)
    throw new Error(`build: unknown argument ${arg} (usage: build.mjs [--project <root>]…)`);
  const folder = relative(root, resolve(root, value));
  if (!/^(apps|libs)\//.test(folder))
    throw new Error(`build: --project ${value} is not a folder under apps/ or libs/`);
  projectRoots.push(folder);
}

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sources(full);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !TEST_FILE.test(entry.name)) {
      yield full;
    }
  }
}

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

const started = Date.now();
const inputs = projectRoots.length > 0 ? projectRoots : ['apps', 'libs'];
if (projectRoots.length === 0) await rm(outDir, { recursive: true, force: true });
else
  await Promise.all(projectRoots.map((folder) => rm(join(outDir, folder), { recursive: true, force: true })));
const files = [];
for (const top of inputs) {
  for await (const file of sources(join(root, top))) files.push(file);
}
await Promise.all(
  files.map(async (file) => {
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(file, { ...swcOptions, filename: file, sourceFileName: file });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
  }),
);
// The ops console's front end is bundled by Vite next to its server (dist/apps/ops-console/web).
const CONSOLE_WEB = 'apps/ops-console/web';
if (inputs.some((folder) => folder === 'apps' || CONSOLE_WEB.startsWith(`${folder}/`))) {
  const { build } = await import('vite');
  await build({
    configFile: join(root, CONSOLE_WEB, 'vite.config.mjs'),
    build: { outDir: join(outDir, CONSOLE_WEB), emptyOutDir: true },
    logLevel: 'warn',
  });
}
const where = projectRoots.length > 0 ? projectRoots.map((folder) => `dist/${folder}`).join(', ') : 'dist/';
console.log(`build: ${files.length} files → ${where} in ${Date.now() - started} ms`);
