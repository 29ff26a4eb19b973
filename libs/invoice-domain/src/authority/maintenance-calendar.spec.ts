import { nextWindow, parseMaintenanceDays, windowAt } from './maintenance-calendar';

const days = (text: string) => {
  const parsed = parseMaintenanceDays(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.days;
};
const iso = (window?: { start: Date; end: Date }) =>
  window && [window.start.toISOString(), window.end.toISOString()];

describe('maintenance calendar (days of the month, UTC+8)', () => {
  const standard = days('25-27');

  it('parses days and ranges, and names what it cannot read', () => {
    expect([...days('1,15-16, 31')]).toEqual([1, 15, 16, 31]);
    for (const bad of ['', '0', '32', '27-25', '25-', 'x', '1;2'])
      expect(parseMaintenanceDays(bad).ok).toBe(false);
  });

  it('opens at midnight Beijing time on the 25th and closes at midnight starting the 28th', () => {
    // 2025-11-25T00:00+08:00 is 2025-11-24T16:00Z.
    expect(windowAt(new Date('2025-11-24T15:59:59.999Z'), standard)).toBeUndefined();
    const window = ['2025-11-24T16:00:00.000Z', '2025-11-27T16:00:00.000Z'];
    expect(iso(windowAt(new Date('2025-11-24T16:00:00.000Z'), standard))).toEqual(window);
    expect(iso(windowAt(new Date('2025-11-27T15:59:59.999Z'), standard))).toEqual(window);
    expect(windowAt(new Date('2025-11-27T16:00:00.000Z'), standard)).toBeUndefined();
  });

  it('finds the next window after now, in the next month once this one has begun', () => {
    expect(iso(nextWindow(new Date('2025-11-10T00:00:00Z'), standard))).toEqual([
      '2025-11-24T16:00:00.000Z',
      '2025-11-27T16:00:00.000Z',
    ]);
    expect(iso(nextWindow(new Date('2025-11-25T12:00:00Z'), standard))).toEqual([
      '2025-12-24T16:00:00.000Z',
      '2025-12-27T16:00:00.000Z',
    ]);
  });

  it('handles month ends: missing days are skipped, adjacent days across months form one window', () => {
    const monthEnd = days('29-31');
    // February 2026 has no 29th to 31st: seen from 1 February, the next window is in March.
    expect(iso(nextWindow(new Date('2026-02-01T00:00:00Z'), monthEnd))).toEqual([
      '2026-03-28T16:00:00.000Z',
      '2026-03-31T16:00:00.000Z',
    ]);
    const acrossMonths = days('1,31');
    expect(iso(windowAt(new Date('2026-01-31T10:00:00+08:00'), acrossMonths))).toEqual([
      '2026-01-30T16:00:00.000Z',
      '2026-02-01T16:00:00.000Z',
    ]);
    // April has no 31st: only the 1st of May.
    expect(iso(windowAt(new Date('2026-05-01T10:00:00+08:00'), acrossMonths))).toEqual([
      '2026-04-30T16:00:00.000Z',
      '2026-05-01T16:00:00.000Z',
    ]);
  });

  it('has no next window when every day is a maintenance day', () => {
    expect(nextWindow(new Date('2025-11-10T00:00:00Z'), days('1-31'))).toBeUndefined();
  });
});
