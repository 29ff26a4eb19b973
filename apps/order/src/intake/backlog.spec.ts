import { Backlog } from './backlog';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 29, 0, 0, 0, seconds * 1000));

describe('Backlog', () => {
  it('admits below the ceiling and counts what it admitted until the next sample', () => {
    const backlog = new Backlog(3, 500);
    backlog.sample(1, at(0));
    expect(backlog.admit(at(0))).toEqual({ admitted: true });
    expect(backlog.admit(at(0))).toEqual({ admitted: true });
    expect(backlog.estimate(at(0))).toBe(3);
    expect(backlog.admit(at(0))).toMatchObject({ admitted: false, backlog: 3 });
    // The database's count replaces the local one: what drained is seen.
    backlog.sample(1, at(1));
    expect(backlog.admit(at(1))).toEqual({ admitted: true });
  });

  it('measures the drain rate from samples and admissions, as a moving average', () => {
    const backlog = new Backlog(1_000, 500);
    backlog.sample(500, at(0));
    expect(backlog.drainRate).toBeUndefined();
    for (let i = 0; i < 100; i += 1) backlog.admit(at(0));
    backlog.sample(400, at(2)); // 500 + 100 admitted − 400 left = 200 drained in 2 s
    expect(backlog.drainRate).toBe(100);
    backlog.sample(400, at(3)); // nothing drained in 1 s
    expect(backlog.drainRate).toBeCloseTo(70);
  });

  it('at the ceiling, admits as fast as the backlog drains between samples, not all at the next sample', () => {
    const backlog = new Backlog(1_000, 500);
    backlog.sample(1_000, at(0));
    backlog.sample(900, at(1)); // 100/s
    const admittedBy = (seconds: number) => {
      let admitted = 0;
      while (backlog.admit(at(seconds)).admitted) admitted += 1;
      return admitted;
    };
    expect(admittedBy(1)).toBe(100); // the free places the count showed
    expect(admittedBy(1.1)).toBe(10);
    expect(admittedBy(1.3)).toBe(20);
    expect(admittedBy(1.5)).toBe(20);
    // No sample since: the drain is counted for one interval at most, the overshoot stays bounded.
    expect(admittedBy(3)).toBe(0);
    expect(backlog.estimate(at(3))).toBe(1_000);
    // The next count is the judge: 1,050 in flight (the pipeline stalled) admits nothing.
    backlog.sample(1_050, at(3));
    expect(admittedBy(3.2)).toBe(0);
  });

  it('answers full with a Retry-After that lets the backlog fall to 90 % of the ceiling, within [1, 60] s', () => {
    const backlog = new Backlog(1_000, 500);
    backlog.sample(1_000, at(0));
    backlog.sample(1_200, at(1)); // growing: drain measured as 0, counted as 1/s
    expect(backlog.admit(at(1))).toEqual({ admitted: false, backlog: 1_200, retryAfterS: 60 });

    const draining = new Backlog(1_000, 500);
    draining.sample(1_500, at(0));
    draining.sample(1_100, at(2)); // 200/s
    expect(draining.admit(at(2))).toEqual({ admitted: false, backlog: 1_100, retryAfterS: 1 });
    draining.sample(1_500, at(4)); // a burst from elsewhere: drain 0 now, average 140/s
    expect(draining.admit(at(4))).toEqual({ admitted: false, backlog: 1_500, retryAfterS: 5 });
  });
});
