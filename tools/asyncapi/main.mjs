// Writes docs/asyncapi.json and docs/schemas/<Type>.v<version>.json from libs/contracts (what order serves
// at /docs/asyncapi.json), and removes schema files of messages that no longer exist.
// Usage: npm run asyncapi            (builds libs/contracts, then writes)
//        npm run asyncapi -- --check (writes nothing; exits 1 naming the stale files)
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderFiles, ROOT, SCHEMAS_DIR, staleFiles } from './files.mjs';

const check = process.argv.includes('--check');
const require = createRequire(import.meta.url);
const contracts = require(join(ROOT, 'dist/libs/contracts/src/index.js'));

const files = await renderFiles(contracts);
const stale = await staleFiles(files);
if (check) {
  if (stale.length > 0) {
    console.error(`asyncapi: stale, run \`npm run asyncapi\`: ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(`asyncapi: ${files.size} files up to date`);
} else {
  await mkdir(join(ROOT, SCHEMAS_DIR), { recursive: true });
  for (const path of stale) {
    if (files.has(path)) {
      await mkdir(dirname(join(ROOT, path)), { recursive: true });
      await writeFile(join(ROOT, path), files.get(path));
    } else await rm(join(ROOT, path));
    console.log(`asyncapi: ${files.has(path) ? 'wrote' : 'removed'} ${path}`);
  }
  console.log(`asyncapi: ${files.size} files, ${stale.length} changed`);
}
