// Writes the parameter tables of charts/fapiao/README.md from the `## @section` and `## @param` comments
// of charts/fapiao/values.yaml (the convention of Bitnami's readme-generator-for-helm), between the
// README's `<!-- parameters:start -->` and `<!-- parameters:end -->` markers; the prose around them is
// hand-written. Every value must be documented by a @param on itself or on an ancestor, and every
// @param must name a value: either mistake is an error.
//
//   node tools/helm/chart-readme.mjs           rewrite the README
//   node tools/helm/chart-readme.mjs --check   exit 1 when the README is stale (what the chart test runs)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import YAML from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const chartDir = join(root, 'charts/fapiao');
const START = '<!-- parameters:start -->';
const END = '<!-- parameters:end -->';

/** [{ title, params: [{ path, description }] }] in file order. */
export function parseComments(valuesText) {
  const sections = [{ title: 'Parameters', params: [] }];
  for (const line of valuesText.split('\n')) {
    const section = /^\s*## @section (.+)$/.exec(line);
    if (section) sections.push({ title: section[1].trim(), params: [] });
    const param = /^\s*## @param (\S+) (.+)$/.exec(line);
    if (param) sections.at(-1).params.push({ path: param[1], description: param[2].trim() });
  }
  return sections.filter((s) => s.params.length > 0);
}

const isBranch = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;

/** Paths of every leaf: scalars, null, lists and empty maps. */
function leaves(value, prefix = []) {
  if (!isBranch(value)) return [prefix.join('.')];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, [...prefix, key]));
}

function lookup(values, path) {
  let node = values;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return { found: false };
    node = node[key];
  }
  return { found: true, value: node };
}

const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
function defaultOf(value) {
  if (value === null || value === undefined) return '`null`';
  if (typeof value === 'string') return value === '' ? '`""`' : `\`${cell(value)}\``;
  if (typeof value === 'object') {
    const json = JSON.stringify(value);
    return json.length > 80 ? 'see values.yaml' : `\`${cell(json)}\``;
  }
  return `\`${String(value)}\``;
}

/** The generated tables, or throws naming every undocumented value and every dangling @param. */
export function parameterTables(valuesText) {
  const values = YAML.parse(valuesText);
  const sections = parseComments(valuesText);
  const documented = sections.flatMap((s) => s.params.map((p) => p.path));
  const problems = [];
  for (const path of documented)
    if (!lookup(values, path).found) problems.push(`@param ${path} names no value`);
  for (const leaf of leaves(values)) {
    const covered = documented.some((path) => leaf === path || leaf.startsWith(`${path}.`));
    if (!covered) problems.push(`${leaf} has no @param`);
  }
  if (problems.length > 0) throw new Error(`charts/fapiao/values.yaml:\n  ${problems.join('\n  ')}`);
  return sections
    .map(({ title, params }) =>
      [
        `### ${title}`,
        '',
        '| Name | Description | Default |',
        '| ---- | ----------- | ------- |',
        ...params.map(
          ({ path, description }) =>
            `| \`${path}\` | ${cell(description)} | ${defaultOf(lookup(values, path).value)} |`,
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

/** The README with its parameter section regenerated, formatted as the repository's Prettier would. */
export async function renderReadme(valuesText, readmeText) {
  const start = readmeText.indexOf(START);
  const end = readmeText.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs ${START} and ${END} markers`);
  const text = `${readmeText.slice(0, start + START.length)}\n\n${parameterTables(valuesText)}\n\n${readmeText.slice(end)}`;
  const readmePath = join(chartDir, 'README.md');
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  return prettier.format(text, { ...options, filepath: readmePath });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const readmePath = join(chartDir, 'README.md');
  const current = readFileSync(readmePath, 'utf8');
  const next = await renderReadme(readFileSync(join(chartDir, 'values.yaml'), 'utf8'), current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('charts/fapiao/README.md is stale: run `npm run chart:readme`');
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(readmePath, next);
    console.log('charts/fapiao/README.md updated');
  }
}
