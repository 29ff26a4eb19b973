// The contract documents under docs/, rendered from libs/contracts exactly as committed: the AsyncAPI 3
// document and one JSON Schema per message, each formatted by the repository's Prettier configuration (so
// `prettier --check .` and the staleness spec agree). Shared by main.mjs (which writes them) and
// asyncapi.spec.ts (which fails when the committed files differ).
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ASYNCAPI_FILE = 'docs/asyncapi.json';
export const SCHEMAS_DIR = 'docs/schemas';

async function formatJson(relativePath, value) {
  const filepath = join(ROOT, relativePath);
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(JSON.stringify(value), { ...options, filepath });
}

/**
 * Every file this tool owns, by path relative to the repository: `contracts` is `@fapiao/contracts`
 * (its `asyncApiDocument` and `messageJsonSchemaFiles`), from dist/ or, in a test, from the sources.
 */
export async function renderFiles(contracts) {
  const files = new Map([[ASYNCAPI_FILE, await formatJson(ASYNCAPI_FILE, contracts.asyncApiDocument())]]);
  for (const [name, schema] of Object.entries(contracts.messageJsonSchemaFiles())) {
    const path = `${SCHEMAS_DIR}/${name}`;
    files.set(path, await formatJson(path, schema));
  }
  return files;
}

/** The paths whose committed content differs from `files`, and schema files nothing generates any more. */
export async function staleFiles(files) {
  const stale = [];
  for (const [path, content] of files) {
    const committed = await readFile(join(ROOT, path), 'utf8').catch(() => undefined);
    if (committed !== content) stale.push(path);
  }
  const present = await readdir(join(ROOT, SCHEMAS_DIR)).catch(() => []);
  for (const name of present) if (!files.has(`${SCHEMAS_DIR}/${name}`)) stale.push(`${SCHEMAS_DIR}/${name}`);
  return stale;
}
