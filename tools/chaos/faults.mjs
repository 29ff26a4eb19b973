// Strikes the planned faults at their moments and records when each began and ended.
import { FAPIAO_SERVICES } from './plan.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a fault kind needs of the cluster; an attached cluster (npm start) owns only the authority's. */
const NEEDS = {
  kill: 'kill',
  'rolling-restart': 'restart',
  'broker-down': 'brokerDown',
  'broker-pause': 'brokerPause',
  'db-cut': 'dbCut',
};

/**
 * Runs every fault of `plan` against `cluster`; resolves with the spans once the last has ended.
 * `authority(spec | null)` sets or clears the simulator's faults.
 */
export async function runFaults({ plan, cluster, authority, now, history, onChange }) {
  const spans = [];
  const strike = async (fault) => {
    const wait = fault.atMs - now();
    if (wait > 0) await sleep(wait);
    const span = { kind: fault.kind, name: fault.name ?? fault.service, startMs: now(), endMs: null };
    spans.push(span);
    const need = NEEDS[fault.kind];
    if (need && !cluster.faults[need]) {
      span.skipped = 'the tool does not own this process (attached to npm start)';
      span.endMs = span.startMs;
      return;
    }
    onChange?.(spans);
    try {
      await apply(fault, cluster.faults, authority);
    } catch (error) {
      span.error = error.message;
    }
    span.endMs = now();
    history.push({ t: span.startMs, op: 'fault', outcome: span.error ? 'error' : 'ok', ...span });
    onChange?.(spans);
  };
  await Promise.all(plan.faults.map(strike));
  return spans;
}

async function apply(fault, faults, authority) {
  switch (fault.kind) {
    case 'kill':
      return faults.kill(fault.service);
    case 'rolling-restart':
      // One service after another, each ready before the next goes, as a Deployment rollout does.
      for (const service of FAPIAO_SERVICES) await faults.restart(service);
      return;
    case 'broker-down':
      await faults.brokerDown();
      await sleep(fault.forMs);
      return faults.brokerUp();
    case 'broker-pause':
      await faults.brokerPause();
      await sleep(fault.forMs);
      return faults.brokerResume();
    case 'db-cut':
      await faults.dbCut();
      await sleep(fault.forMs);
      return faults.dbRestore();
    case 'authority':
      await authority(fault.spec);
      await sleep(fault.forMs);
      return authority(null);
  }
}
