import { InterruptibleSleep } from './interruptible-sleep';

describe('InterruptibleSleep', () => {
  it('ends early when woken, and on its own otherwise', async () => {
    const idle = new InterruptibleSleep();
    const started = Date.now();
    const sleeping = idle.sleep(10_000);
    idle.wake();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
    await idle.sleep(5);
    idle.wake(); // nothing asleep: harmless
  });
});
