import { Backlog } from './backlog';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 29, 0, 0, seconds));

describe('Backlog', () => {
  it('admits below the ceiling and counts what it admitted until the next sample', () => {
    const backlog = new Backlog(3);
    backlog.sample(1, at(0));
    expect(backlog.admit()).toEqual({ admitted: true });
    expect(backlog.admit()).toEqual({ admitted: true });
    expect(backlog.estimate).toBe(3);
    expect(backlog.admit()).toMatchObject({ admitted: false, backlog: 3 });
    // The database's count replaces the local one: what drained is seen.
    backlog.sample(1, at(1));
    expect(backlog.admit()).toEqual({ admitted: true });
  });

  it('measures the drain rate from samples and admissions, as a moving average', () => {
    const backlog = new Backlog(1_000);
    backlog.sample(500, at(0));
    expect(backlog.drainRate).toBeUndefined();
    for (let i = 0; i < 100; i += 1) backlog.admit();
    backlog.sample(400, at(2)); // 500 + 100 admitted − 400 left = 200 drained in 2 s
    expect(backlog.drainRate).toBe(100);
    backlog.sample(400, at(3)); // nothing drained in 1 s
    expect(backlog.drainRate).toBeCloseTo(70);
  });

  it('answers full with a Retry-After that lets the backlog fall to 90 % of the ceiling, within [1, 60] s', () => {
    const backlog = new Backlog(1_000);
    backlog.sample(1_000, at(0));
    backlog.sample(1_200, at(1)); // growing: drain measured as 0, counted as 1/s
    expect(backlog.admit()).toEqual({ admitted: false, backlog: 1_200, retryAfterS: 60 });

    const draining = new Backlog(1_000);
    draining.sample(1_500, at(0));
    draining.sample(1_100, at(2)); // 200/s
    expect(draining.admit()).toEqual({ admitted: false, backlog: 1_100, retryAfterS: 1 });
    draining.sample(1_500, at(4)); // a burst from elsewhere: drain 0 now, average 140/s
    expect(draining.admit()).toEqual({ admitted: false, backlog: 1_500, retryAfterS: 5 });
  });
});
