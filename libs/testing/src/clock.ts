import { Clock } from '@fapiao/platform/resilience';

/** A clock a test moves by hand: deadlines and backoffs pass without sleeping. */
export class FakeClock extends Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    super();
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}
