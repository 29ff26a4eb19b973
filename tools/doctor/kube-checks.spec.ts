/**
 * The judging half of `doctor --kube` on the states the integration test cannot stage cheaply on a bare
 * API server: image pulls, probe failures, crash logs that were read, failed hook Jobs, KEDA, PDBs, old
 * events. The four faults of the issue run against a real API server in kube.int-spec.ts.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Check = { layer: string; status: string; summary: string; runbook?: string; next?: string };
type KubeChecks = Record<string, (...args: any[]) => any>;

let c: KubeChecks;
beforeAll(async () => {
  c = await import(pathToFileURL(join(__dirname, 'kube-checks.mjs')).href);
});

const pod = (status: any, name = 'fapiao-order-abc') => ({
  metadata: { name, namespace: 'prod' },
  status: { phase: 'Running', ...status },
});

describe('doctor --kube verdicts', () => {
  it('names an image that cannot be pulled', () => {
    const check: Check = c.evaluatePod(
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'order',
            image: 'registry.example.com/fapiao/order:0.1.0',
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "…"' } },
          },
        ],
      }),
    );
    expect(check).toMatchObject({ layer: 'workloads', status: 'fail' });
    expect(check.summary).toBe('container order: image pull: ImagePullBackOff: Back-off pulling image "…"');
  });

  it('quotes the failing probe of a running pod that is not ready', () => {
    const check: Check = c.evaluatePod(
      pod({
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [{ name: 'order', ready: false, state: { running: {} } }],
      }),
      {
        events: [
          { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503' },
        ],
      },
    );
    expect(check.summary).toBe(
      'running, not ready: probe failure: Readiness probe failed: HTTP probe failed with statuscode: 503',
    );
    expect(check.status).toBe('fail');
  });

  it('shows the last log lines of a crash loop when the logs could be read', () => {
    const check: Check = c.evaluatePod(
      pod({
        containerStatuses: [
          {
            name: 'order',
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ],
      }),
      { logs: { order: { text: 'booting\nconfig: MYSQL_URL is not a URL\n' } } },
    );
    expect(check.summary).toBe(
      'container order: crash loop, 3 restarts, last exit 1 (Error); last log lines:\n' +
        '        | booting\n        | config: MYSQL_URL is not a URL',
    );
  });

  it('does not blame a container that restarted once and is ready now', () => {
    const check: Check = c.evaluatePod(
      pod({
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          {
            name: 'order',
            ready: true,
            restartCount: 1,
            state: { running: {} },
            lastState: { terminated: { exitCode: 137 } },
          },
        ],
      }),
    );
    expect(check.status).toBe('pass');
  });

  it('reports a failed hook Job with its reason and log', () => {
    const check: Check = c.evaluateJob(
      {
        metadata: {
          name: 'fapiao-migrations',
          namespace: 'prod',
          annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade' },
        },
        status: {
          failed: 3,
          conditions: [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            },
          ],
        },
      },
      { logs: { text: 'Error: ER_ACCESS_DENIED_ERROR\n' } },
    );
    expect(check).toMatchObject({
      layer: 'hooks',
      status: 'fail',
      next: 'kubectl -n prod logs job/fapiao-migrations',
    });
    expect(check.summary).toContain(
      'failed: BackoffLimitExceeded: Job has reached the specified backoff limit; last log lines:',
    );
    expect(check.summary).toContain('| Error: ER_ACCESS_DENIED_ERROR');
  });

  it('warns of an HPA at its maximum and fails a KEDA ScaledObject that is not ready', () => {
    const hpa: Check = c.evaluateHpa({
      metadata: { name: 'fapiao-order', namespace: 'prod' },
      spec: { minReplicas: 2, maxReplicas: 6 },
      status: {
        currentReplicas: 6,
        desiredReplicas: 6,
        conditions: [
          { type: 'AbleToScale', status: 'True' },
          { type: 'ScalingActive', status: 'True' },
          {
            type: 'ScalingLimited',
            status: 'True',
            reason: 'TooManyReplicas',
            message: 'the desired replica count is more than the maximum replica count',
          },
        ],
      },
    });
    expect(hpa.status).toBe('warn');
    const keda: Check = c.evaluateScaledObject({
      metadata: { name: 'fapiao-invoice', namespace: 'prod' },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'KEDAScalerFailed',
            message: 'error getting lag: SASL authentication failed',
          },
        ],
      },
    });
    expect(keda).toMatchObject({ status: 'fail' });
    expect(keda.summary).toBe('Ready False KEDAScalerFailed: error getting lag: SASL authentication failed');
  });

  it('warns when a disruption budget allows no disruption', () => {
    const check: Check = c.evaluatePdb({
      metadata: { name: 'fapiao-auth', namespace: 'prod' },
      status: { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 2 },
    });
    expect(check.status).toBe('warn');
    expect(check.runbook).toBe('docs/operations.md#a-disruption-budget-blocks-node-drains');
  });

  it('keeps only recent Warning events, one check per object', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    const event = (name: string, at: string, type = 'Warning') => ({
      type,
      reason: 'BackOff',
      message: `back-off ${name}`,
      count: 2,
      lastTimestamp: at,
      involvedObject: { kind: 'Pod', name },
      metadata: { creationTimestamp: at },
    });
    const checks: Check[] = c.evaluateEvents(
      [
        event('a', '2026-11-29T11:59:00Z'),
        event('a', '2026-11-29T11:58:00Z'),
        event('b', '2026-11-29T09:00:00Z'),
        event('c', '2026-11-29T11:59:00Z', 'Normal'),
      ],
      { namespace: 'prod', sinceMs: 3_600_000, now },
    );
    expect(checks).toHaveLength(1);
    expect(checks[0].summary).toBe('4× BackOff: back-off a');
  });
});
