import { chinaDayStart, DAY_MS, inChina } from './china-time';

export interface TimeWindow {
  start: Date;
  end: Date;
}

/**
 * Parses days of the month such as "25-27" or "1,15-16" (1–31). A day a month does not have (31 in
 * April) simply never occurs there.
 */
export function parseMaintenanceDays(
  text: string,
): { ok: true; days: ReadonlySet<number> } | { ok: false; message: string } {
  const days = new Set<number>();
  for (const part of text.split(',').map((item) => item.trim())) {
    const match = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(part);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (!match || from < 1 || to > 31 || from > to) {
      return {
        ok: false,
        message: `"${part}" is not a day (1–31) or an ascending range of days such as 25-27`,
      };
    }
    for (let day = from; day <= to; day++) days.add(day);
  }
  return { ok: true, days };
}

/** Bound on how far a run of maintenance days is followed (a calendar of every day never ends). */
const HORIZON_DAYS = 400;

const isMaintenanceDay = (dayStart: number, days: ReadonlySet<number>): boolean =>
  days.has(inChina(dayStart).getUTCDate());

/** The run of consecutive maintenance days around `dayStart`, from midnight to midnight UTC+8. */
function runAround(dayStart: number, days: ReadonlySet<number>): TimeWindow {
  let start = dayStart;
  for (let i = 0; i < HORIZON_DAYS && isMaintenanceDay(start - DAY_MS, days); i++) start -= DAY_MS;
  let end = dayStart + DAY_MS;
  for (let i = 0; i < HORIZON_DAYS && isMaintenanceDay(end, days); i++) end += DAY_MS;
  return { start: new Date(start), end: new Date(end) };
}

/** The maintenance window containing `now`, if any; consecutive days, across month ends too, form one window. */
export function windowAt(now: Date, days: ReadonlySet<number>): TimeWindow | undefined {
  const today = chinaDayStart(now);
  return isMaintenanceDay(today, days) ? runAround(today, days) : undefined;
}

/** The first window that starts after `now`. */
export function nextWindow(now: Date, days: ReadonlySet<number>): TimeWindow | undefined {
  let day = chinaDayStart(now) + DAY_MS;
  for (let i = 0; i < HORIZON_DAYS; i++, day += DAY_MS) {
    if (isMaintenanceDay(day, days) && !isMaintenanceDay(day - DAY_MS, days)) return runAround(day, days);
  }
  return undefined;
}
