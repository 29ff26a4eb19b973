// Shared by the chart specs: the real helm (3 and 4) and kubectl binaries (tools/helm/ensure-helm.mjs) and
// the offline Kubernetes schema validator (tools/helm/validate-manifests.js). A spec runs its helm
// suites once per Helm major: `describe.each(HELM_MAJORS)` with `useHelm(major)` in its beforeAll.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const validator = require('../../../tools/helm/validate-manifests.js') as {
  validateObjects(objects: unknown[]): string[];
  parseManifests(text: string): K8sObject[];
};

export const repoRoot = resolve(__dirname, '../../..');
export const chartDir = resolve(__dirname, '..');
export const KUBE_VERSION = '1.31.0';
export const VALUES_SETS = ['default', 'values-dev.yaml', 'values-full.yaml'] as const;
export type ValuesSet = (typeof VALUES_SETS)[number];
/** The one value the defaults cannot supply: without it rendering fails by design (see fail-fast.spec.ts). */
export const REQUIRED_VALUES = ['--set', 'taxAuthority.url=https://tax-authority.example.com'];
export const HELM_MAJORS = [3, 4] as const;
export type HelmMajor = (typeof HELM_MAJORS)[number];

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  [key: string]: any;
};

export const { validateObjects, parseManifests } = validator;

const toolPaths = new Map<string, string>();
export function tool(name: 'helm' | 'helm4' | 'kubectl'): string {
  if (!toolPaths.has(name)) {
    const path = execFileSync(process.execPath, [join(repoRoot, 'tools/helm/ensure-helm.mjs'), name], {
      encoding: 'utf8',
    });
    toolPaths.set(name, path.trim());
  }
  return toolPaths.get(name)!;
}

// Helm keeps its config and caches out of the user's home.
const helmHome = mkdtempSync(join(tmpdir(), 'fapiao-helm-'));
const helmEnv = {
  ...process.env,
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_DATA_HOME: join(helmHome, 'data'),
};

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

let currentMajor: HelmMajor = 3;
/** Selects the helm binary runHelm uses from now on (call it in a beforeAll). */
export function useHelm(major: HelmMajor): void {
  currentMajor = major;
}
export const helmMajor = () => currentMajor;

export function runHelm(args: string[], cwd = chartDir, env: Record<string, string> = {}): RunResult {
  const result = spawnSync(tool(currentMajor === 4 ? 'helm4' : 'helm'), args, {
    cwd,
    env: { ...helmEnv, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const valuesArgs = (set: ValuesSet) => (set === 'default' ? REQUIRED_VALUES : ['-f', join(chartDir, set)]);

/** `helm template` as a platform team on Kubernetes 1.31 with the Prometheus Operator CRDs would run it. */
export function templateArgs(set: ValuesSet, extra: string[] = []): string[] {
  return [
    'template',
    'fapiao',
    chartDir,
    '--namespace',
    'fapiao',
    '--kube-version',
    KUBE_VERSION,
    '--api-versions',
    'monitoring.coreos.com/v1',
    ...valuesArgs(set),
    ...extra,
  ];
}

export function render(set: ValuesSet, extra: string[] = []): K8sObject[] {
  const result = runHelm(templateArgs(set, extra));
  if (result.status !== 0) throw new Error(`helm template (${set}) failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function lint(set: ValuesSet): RunResult {
  return runHelm(['lint', chartDir, '--strict', '--kube-version', KUBE_VERSION, ...valuesArgs(set)]);
}

export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const isHook = (o: K8sObject) => Boolean(o.metadata.annotations?.['helm.sh/hook']);
export const component = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/component'];

/** Pod specs of every workload: Deployments, Jobs and bare Pods (the helm test). */
export function podSpecs(objects: K8sObject[]): { owner: string; spec: K8sObject['spec'] }[] {
  return objects.flatMap((o) => {
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'Job')
      return [{ owner: `${o.kind}/${o.metadata.name}`, spec: o.spec.template.spec }];
    if (o.kind === 'Pod') return [{ owner: `Pod/${o.metadata.name}`, spec: o.spec }];
    return [];
  });
}
