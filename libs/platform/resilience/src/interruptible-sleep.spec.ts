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
  });

  it('keeps a wake that came while nothing slept for the next sleep only', async () => {
    jest.useFakeTimers();
    try {
      const idle = new InterruptibleSleep();
      idle.wake(); // work arrived during a round
      idle.wake();
      let ended = false;
      await idle.sleep(60_000).then(() => (ended = true));
      expect(ended).toBe(true); // at once
      const next = idle.sleep(60_000).then(() => (ended = false));
      await jest.advanceTimersByTimeAsync(59_000);
      expect(ended).toBe(true); // the two wakes counted once: this one waits
      await jest.advanceTimersByTimeAsync(1_000);
      await next;
      expect(ended).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});
