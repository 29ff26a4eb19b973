// The seeded part of a chaos run: what every client does and when each fault strikes. One seed and one set
// of options always give the same plan; only the system's timing differs between runs.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** The services a fault may kill or restart; the simulator is the authority and gets authority faults. */
export const FAPIAO_SERVICES = ['auth', 'order', 'invoice', 'tax-bridge', 'reconciliation'];

/** What a client does with an order once it is accepted. */
export const FOLLOW_UPS = ['none', 'early-cancel', 'cancel', 'partial', 'partial-then-cancel'];

/**
 * The authority's misbehaviour, one episode at a time (the simulator holds one fault spec): the spec sent to
 * POST /v1/faults (a PRNG seed is added per episode). Episodes take these in turns, in a seeded order, so
 * any run with five or more episodes has each.
 */
const AUTHORITY_EPISODES = [
  { name: 'flaky', spec: { errorRate: 0.2, timeoutRate: 0.15, responseLostRate: 0.15 } },
  // Issued and committed, answered with a reset: only resolve-before-resubmit keeps these single.
  { name: 'lost-responses', spec: { responseLostRate: 0.4, resetRate: 0.1 } },
  {
    name: 'slow',
    spec: { latencyMs: { min: 200, max: 1500 }, timeoutRate: 0.2, timeoutMode: { afterMs: 3000 } },
  },
  { name: 'rate-limited', spec: { rateLimit: { perSecond: 2 } } },
  { name: 'down', spec: { errorRate: 1 } },
];

/** 100.00 net of line 1 at 6 %: 106.00 gross taken back by a partial reversal. */
export const PARTIAL = { reasonCode: '02', lines: [{ lineNo: 1, amount: '100.00' }] };
export const PARTIAL_GROSS = '106.00';

export const DEFAULT_MIX = {
  /** Orders that arrive over Kafka (fapiao.invoice-requests.v1) rather than HTTP. */
  kafka: 0.15,
  /** HTTP orders sent again with the same Idempotency-Key once accepted. */
  replay: 0.1,
  /** Kafka requests produced twice (two messages, one request id). */
  duplicate: 0.3,
  /** Follow-ups of HTTP orders; the rest get none. */
  earlyCancel: 0.04,
  cancel: 0.08,
  partial: 0.06,
  partialThenCancel: 0.03,
};

/**
 * @param {object} options
 * @param {number} options.seed
 * @param {number} options.orders
 * @param {number} options.rate orders per second
 * @param {number} options.durationS the fault window; load and faults both fit in it
 * @param {number} options.kills SIGKILLs of a random service, each restarted as a kubelet would
 * @param {number} options.rollingRestarts SIGTERM of every service, one after another
 * @param {number} options.brokerOutages broker down (controlled shutdown) for brokerOutageS
 * @param {number} options.brokerPauses broker frozen (SIGSTOP) for brokerPauseS
 * @param {number} options.dbCuts every database connection reset, refused for dbCutS
 * @param {number} options.authorityFaultS seconds of authority episodes (5xx, timeouts, lost responses, 429s)
 * @param {number} options.maintenanceWindows authority maintenance windows of maintenanceS each
 */
export function makePlan(options) {
  const o = {
    brokerOutageS: 8,
    brokerPauseS: 5,
    dbCutS: 6,
    maintenanceS: 15,
    authorityEpisodeS: 30,
    mix: DEFAULT_MIX,
    ...options,
  };
  const rng = xoroshiro128plus(o.seed);
  const float = () => uniformFloat64(rng);
  const int = (from, to) => uniformInt(rng, from, to);
  const windowMs = o.durationS * 1000;
  const loadMs = Math.min(windowMs, (o.orders / o.rate) * 1000);

  const orders = Array.from({ length: o.orders }, (_, i) => {
    const channel = float() < o.mix.kafka ? 'kafka' : 'http';
    const draw = float();
    let followUp = 'none';
    if (channel === 'http') {
      let edge = 0;
      for (const [name, share] of [
        ['early-cancel', o.mix.earlyCancel],
        ['cancel', o.mix.cancel],
        ['partial', o.mix.partial],
        ['partial-then-cancel', o.mix.partialThenCancel],
      ]) {
        edge += share;
        if (draw < edge) {
          followUp = name;
          break;
        }
      }
    }
    return {
      index: i,
      atMs: Math.round((i / o.orders) * loadMs),
      channel,
      // Gross unit prices of 200.00 to 5000.00, so totals differ per order and a partial reversal of 100.00
      // net always fits in line 1.
      unitPrice: `${int(200, 5000)}.${String(int(0, 99)).padStart(2, '0')}`,
      replay: channel === 'http' && float() < o.mix.replay,
      duplicate: channel === 'kafka' && float() < o.mix.duplicate,
      followUp,
    };
  });

  /** `count` faults of one kind, one per equal slot of the window's middle 80 %, never overlapping. */
  const spread = (count, forMs, make) => {
    const from = windowMs * 0.1;
    const slot = (windowMs * 0.8) / Math.max(1, count);
    return Array.from({ length: count }, (_, k) => ({
      atMs: Math.round(from + k * slot + float() * Math.max(0, slot - forMs)),
      forMs,
      ...make(k),
    }));
  };

  const faults = [
    ...spread(o.kills, 0, () => ({
      kind: 'kill',
      service: FAPIAO_SERVICES[int(0, FAPIAO_SERVICES.length - 1)],
    })),
    ...spread(o.rollingRestarts, 0, () => ({ kind: 'rolling-restart' })),
    ...spread(o.brokerOutages, o.brokerOutageS * 1000, () => ({ kind: 'broker-down' })),
    ...spread(o.brokerPauses, o.brokerPauseS * 1000, () => ({ kind: 'broker-pause' })),
    ...spread(o.dbCuts, o.dbCutS * 1000, () => ({ kind: 'db-cut' })),
    ...authorityEpisodes(o, windowMs, float, int),
  ].sort((a, b) => a.atMs - b.atMs || a.kind.localeCompare(b.kind));

  return { seed: o.seed, windowMs, loadMs, orders, faults };
}

/**
 * Maintenance windows and `authorityFaultS` seconds of random episodes, back to back in a shuffled order
 * with gaps between them, inside the window's middle 80 %.
 */
function authorityEpisodes(o, windowMs, float, int) {
  const order = shuffle(AUTHORITY_EPISODES, int);
  const episodes = [];
  let budgetMs = o.authorityFaultS * 1000;
  while (budgetMs > 0) {
    const forMs = Math.min(budgetMs, o.authorityEpisodeS * 1000);
    budgetMs -= forMs;
    const { name, spec } = order[episodes.length % order.length];
    episodes.push({ kind: 'authority', forMs, name, spec });
  }
  for (let k = 0; k < o.maintenanceWindows; k++) {
    const forMs = o.maintenanceS * 1000;
    episodes.splice(int(0, episodes.length), 0, {
      kind: 'authority',
      forMs,
      name: 'maintenance',
      spec: { maintenance: { forSeconds: o.maintenanceS } },
    });
  }
  if (episodes.length === 0) return [];
  const busyMs = episodes.reduce((sum, episode) => sum + episode.forMs, 0);
  const room = Math.max(0, windowMs * 0.8 - busyMs);
  let atMs = windowMs * 0.1;
  return episodes.map((episode) => {
    atMs += (room / episodes.length) * float();
    const placed = {
      ...episode,
      atMs: Math.round(atMs),
      spec: { ...episode.spec, seed: int(0, 0x7fffffff) },
    };
    atMs += episode.forMs;
    return placed;
  });
}

/** Fisher–Yates with the plan's PRNG. */
function shuffle(items, int) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
