// Validates rendered Kubernetes objects offline, with no cluster, against schemas generated from the
// Kubernetes OpenAPI spec and shipped in npm packages: kubernetes-models (built-in kinds) and
// @kubernetes-models/prometheus-operator (ServiceMonitor, PrometheusRule), @kubernetes-models/keda
// (ScaledObject) and @kubernetes-models/gateway-api (HTTPRoute). Two passes per object:
//  1. the package's JSON-schema validator (types, required fields, enums, int32/quantity formats);
//  2. strict field checking: the package's generated TypeScript declarations, type-checked by tsc
//     with excess-property checks, so a misspelled or misplaced field fails (the JSON-schema pass
//     alone allows additional properties, as the API server does).
// An object whose apiVersion/kind has no schema is an error, never skipped.
//
// CLI: node tools/helm/validate-manifests.js FILE.yaml... (multi-document YAML; `-` reads stdin).
'use strict';
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const ts = require('typescript');
const YAML = require('yaml');

const root = resolve(__dirname, '../..');

/** Module of the model for an apiVersion/kind, e.g. apps/v1 Deployment → kubernetes-models/apps/v1/Deployment. */
function modelModule({ apiVersion, kind }) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z]+$/.test(kind))
    return undefined;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  const thirdParty = {
    'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
    'keda.sh': '@kubernetes-models/keda',
    'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  };
  if (group in thirdParty) return `${thirdParty[group]}/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

function loadModel(object) {
  const module = modelModule(object);
  if (!module) return undefined;
  try {
    const Model = require(module)[object.kind];
    return Model ? { module, Model } : undefined;
  } catch {
    return undefined;
  }
}

const describe = (object) => `${object?.kind ?? '?'}/${object?.metadata?.name ?? '?'}`;

// kustomize folds long base64 Secret data over several lines; the API server's decoder skips line
// breaks, the schema's "byte" format does not, so they are removed before that check.
function unfoldSecretData(object) {
  if (object.kind !== 'Secret' || object.apiVersion !== 'v1' || typeof object.data !== 'object')
    return object;
  const data = Object.fromEntries(
    Object.entries(object.data).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value,
    ]),
  );
  return { ...object, data };
}

function schemaPass(object, Model) {
  try {
    new Model(unfoldSecretData(object)).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

/** One tsc program for all objects: each becomes `export const oN: IKind = <object literal>`. */
function strictPass(entries) {
  if (entries.length === 0) return new Map();
  const file = join(root, 'node_modules/.cache/fapiao-helm/manifests.ts');
  const starts = [];
  let source = '';
  entries.forEach(({ object, module }, index) => {
    starts.push(source.split('\n').length - 1);
    source += `import type { I${object.kind} as T${index} } from ${JSON.stringify(module)};\n`;
    source += `export const o${index}: T${index} = ${JSON.stringify(object, null, 1)};\n`;
  });
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    ignoreDeprecations: '6.0',
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  const problems = new Map();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file?.fileName !== file) throw new Error(`strict check could not run: ${message}`);
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const index = starts.findLastIndex((start) => start <= line);
    const path = describeLocation(source, diagnostic.start ?? 0);
    problems.set(index, [
      ...(problems.get(index) ?? []),
      `${path ? `${path}: ` : ''}${message.split('\n')[0]}`,
    ]);
  }
  return problems;
}

/** "spec.template.spec.containers.0" from the JSON lines above a diagnostic, for readable errors. */
function describeLocation(source, position) {
  const lines = source.slice(0, position).split('\n');
  const path = [];
  let depth = Infinity;
  for (let i = lines.length - 1; i >= 0 && !lines[i].startsWith('export const'); i--) {
    const match = /^( *)"([^"]+)": [[{]$/.exec(lines[i]);
    const indent = lines[i].search(/\S/);
    if (indent >= 0 && indent < depth) {
      depth = indent;
      if (match) path.unshift(match[2]);
    }
  }
  return path.join('.');
}

/**
 * Validates objects; returns one message per problem, prefixed with Kind/name (empty when all pass).
 * @param {unknown[]} objects
 */
function validateObjects(objects) {
  const errors = [];
  const strictEntries = [];
  for (const object of objects) {
    const model = loadModel(object);
    if (!model) {
      errors.push(`${describe(object)}: no schema for apiVersion ${object?.apiVersion} kind ${object?.kind}`);
      continue;
    }
    for (const message of schemaPass(object, model.Model)) errors.push(`${describe(object)}: ${message}`);
    strictEntries.push({ object, module: model.module });
  }
  for (const [index, messages] of strictPass(strictEntries)) {
    for (const message of messages) errors.push(`${describe(strictEntries[index].object)}: ${message}`);
  }
  return errors;
}

/** Objects of a multi-document YAML stream (empty documents dropped). */
function parseManifests(text) {
  return YAML.parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    const value = document.toJS();
    return value == null ? [] : [value];
  });
}

module.exports = { validateObjects, parseManifests };

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: validate-manifests.js FILE.yaml... (- for stdin)');
    process.exit(2);
  }
  const objects = files.flatMap((f) => parseManifests(readFileSync(f === '-' ? 0 : f, 'utf8')));
  const errors = validateObjects(objects);
  for (const error of errors) console.error(error);
  console.log(`${objects.length} objects checked, ${errors.length} problems`);
  process.exit(errors.length === 0 ? 0 : 1);
}
