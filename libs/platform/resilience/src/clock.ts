import { Global, Module } from '@nestjs/common';

/**
 * The time services act on (deadlines, backoffs, sweeps, timestamps), injected so that a test moves it
 * forward instead of sleeping (`FakeClock` in @fapiao/testing).
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** Provides the system clock to every module; a test overrides the `Clock` provider. */
@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
