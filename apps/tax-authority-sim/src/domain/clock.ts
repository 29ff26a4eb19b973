/** The time source: tests replace it to reach a 72-hour deadline or a maintenance window. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
