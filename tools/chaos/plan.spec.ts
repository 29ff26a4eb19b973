import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Fault {
  atMs: number;
  forMs: number;
  kind: string;
  service?: string;
  name?: string;
  spec?: Record<string, unknown>;
}
interface Plan {
  windowMs: number;
  orders: { index: number; atMs: number; channel: string; followUp: string; unitPrice: string }[];
  faults: Fault[];
}
type PlanModule = { makePlan(options: Record<string, number>): Plan };
type ProfilesModule = { PROFILES: Record<string, Record<string, number>> };

const load = async <T>(file: string): Promise<T> =>
  (await import(pathToFileURL(join(__dirname, file)).href)) as T;

describe('chaos plan', () => {
  let makePlan: PlanModule['makePlan'];
  let PROFILES: ProfilesModule['PROFILES'];
  beforeAll(async () => {
    ({ makePlan } = await load<PlanModule>('plan.mjs'));
    ({ PROFILES } = await load<ProfilesModule>('profiles.mjs'));
  });

  it('is the same plan for the same seed and options, another for another seed', () => {
    const a = makePlan(PROFILES.short);
    expect(makePlan(PROFILES.short)).toEqual(a);
    expect(makePlan({ ...PROFILES.short, seed: 12 })).not.toEqual(a);
  });

  it('plans the faults asked for, inside the window, never two of a kind at once', () => {
    const options = PROFILES.long;
    const plan = makePlan(options);
    const count = (kind: string) => plan.faults.filter((f) => f.kind === kind).length;
    expect(count('kill')).toBe(options.kills);
    expect(count('rolling-restart')).toBe(options.rollingRestarts);
    expect(count('broker-down')).toBe(options.brokerOutages);
    expect(count('broker-pause')).toBe(options.brokerPauses);
    expect(count('db-cut')).toBe(options.dbCuts);
    const authority = plan.faults.filter((f) => f.kind === 'authority');
    const authorityMs = authority.reduce((sum, f) => sum + f.forMs, 0);
    expect(authorityMs).toBe(
      (options.authorityFaultS + options.maintenanceWindows * options.maintenanceS) * 1000,
    );
    expect(authority.filter((f) => f.name === 'maintenance')).toHaveLength(options.maintenanceWindows);
    for (const kind of ['broker-down', 'broker-pause', 'db-cut', 'authority']) {
      const spans = plan.faults.filter((f) => f.kind === kind).sort((x, y) => x.atMs - y.atMs);
      for (let i = 1; i < spans.length; i++) {
        expect(spans[i].atMs).toBeGreaterThanOrEqual(spans[i - 1].atMs + spans[i - 1].forMs);
      }
    }
    for (const fault of plan.faults) {
      expect(fault.atMs).toBeGreaterThanOrEqual(0);
      expect(fault.atMs + fault.forMs).toBeLessThanOrEqual(plan.windowMs);
    }
    // Every kind of misbehaviour, each episode with its own PRNG seed so the simulator's faults repeat too.
    expect(new Set(authority.map((f) => f.name))).toEqual(
      new Set(['flaky', 'lost-responses', 'slow', 'rate-limited', 'down', 'maintenance']),
    );
    expect(authority.every((f) => typeof f.spec?.seed === 'number')).toBe(true);
  });

  it('gives the short profile each kind of authority misbehaviour once', () => {
    const names = makePlan(PROFILES.short)
      .faults.filter((f) => f.kind === 'authority')
      .map((f) => f.name)
      .sort();
    expect(names).toEqual(['down', 'flaky', 'lost-responses', 'maintenance', 'rate-limited', 'slow']);
  });

  it('sends orders over both channels with every follow-up, only HTTP orders followed up', () => {
    const plan = makePlan(PROFILES.long);
    expect(plan.orders).toHaveLength(PROFILES.long.orders);
    const followUps = new Set(plan.orders.map((o) => o.followUp));
    expect([...followUps].sort()).toEqual([
      'cancel',
      'early-cancel',
      'none',
      'partial',
      'partial-then-cancel',
    ]);
    expect(plan.orders.some((o) => o.channel === 'kafka')).toBe(true);
    expect(plan.orders.filter((o) => o.channel === 'kafka').every((o) => o.followUp === 'none')).toBe(true);
    expect(plan.orders.every((o) => Number(o.unitPrice) >= 200)).toBe(true);
  });
});
