// Writes each service's OpenAPI document (what /docs/openapi.json serves) without a database or Kafka:
// Nest's preview mode builds the module graph from the compiled app modules and instantiates nothing.
// Usage, after `npm run build`: node tools/openapi/export.mjs [out-dir]   (default dist/openapi)
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const SERVICES = ['auth', 'order', 'invoice', 'tax-bridge', 'reconciliation', 'tax-authority-sim'];
const outDir = resolve(process.argv[2] ?? join(root, 'dist/openapi'));

const { previewOpenApiDocument } = require(join(root, 'dist/libs/platform/service/src/index.js'));
mkdirSync(outDir, { recursive: true });
for (const name of SERVICES) {
  const { AppModule } = require(join(root, `dist/apps/${name}/src/app.module.js`));
  const exports = Object.values(require(join(root, `dist/apps/${name}/src/service.js`)));
  const identity = exports.find((value) => typeof value?.defaultPort === 'number');
  const api = exports.find((value) => typeof value?.title === 'string');
  const document = await previewOpenApiDocument(AppModule, { ...api, port: identity.defaultPort });
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`${name}: ${join(outDir, `${name}.json`)}`);
}
