import { BackgroundWorker, backgroundWorkerFailures, type Leadership } from './background-worker';

/** A worker whose rounds a test scripts: each call takes the next outcome. */
class ScriptedWorker extends BackgroundWorker {
  rounds = 0;
  stoppedAfter?: number;
  released = 0;

  constructor(
    private readonly outcomes: (() => Promise<number>)[],
    private readonly idleMs = 60_000,
    leadership?: Leadership,
  ) {
    super('ScriptedWorker', leadership);
  }

  protected override followerRetryMs(): number {
    return 1;
  }

  protected round(): Promise<number> {
    const next = this.outcomes[this.rounds++] ?? (() => Promise.resolve(this.idleMs));
    return next();
  }

  protected override failureBackoffMs(): number {
    return 1;
  }

  protected override afterFailure(): Promise<void> {
    this.released++;
    return Promise.resolve();
  }

  protected override afterStop(): Promise<void> {
    this.stoppedAfter = this.rounds;
    return Promise.resolve();
  }
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
};

describe('BackgroundWorker', () => {
  it('logs, counts and retries a failed round instead of letting the rejection end the process', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const failures = async () =>
      (await backgroundWorkerFailures.get()).values.find((v) => v.labels.worker === 'ScriptedWorker')
        ?.value ?? 0;
    const before = await failures();
    const worker = new ScriptedWorker([
      () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      () => Promise.resolve(0),
    ]);
    const warn = jest.spyOn(worker['logger'], 'warn').mockImplementation(() => undefined);
    worker.start();
    await until(() => worker.rounds >= 3);
    await worker.stop();
    process.off('unhandledRejection', onUnhandled);

    expect(unhandled).toEqual([]);
    expect(await failures()).toBe(before + 1);
    expect(worker.released).toBe(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
  });

  it('stops after the round in flight, then runs afterStop; wake() ends an idle wait at once', async () => {
    let finish!: () => void;
    const worker = new ScriptedWorker([
      () => Promise.resolve(60_000),
      () => new Promise<number>((resolve) => (finish = () => resolve(60_000))),
    ]);
    worker.start();
    await until(() => worker.rounds === 1);
    // Idle for a minute unless woken.
    worker.wake();
    await until(() => worker.rounds === 2);
    const stopped = worker.stop();
    expect(worker.stoppedAfter).toBeUndefined();
    finish();
    await stopped;
    expect(worker.stoppedAfter).toBe(2);
  });

  it('runs again when started after a stop', async () => {
    const worker = new ScriptedWorker([]);
    worker.start();
    await until(() => worker.rounds === 1);
    await worker.stop();
    worker.start();
    await until(() => worker.rounds === 2);
    await worker.stop();
  });

  it('runs rounds only while it leads, and gives leadership up after a failed round and at stop', async () => {
    const leadership = { leads: false, holds: 0, releases: 0 };
    const lock: Leadership = {
      hold: () => Promise.resolve((leadership.holds++, leadership.leads)),
      release: () => Promise.resolve(void leadership.releases++),
    };
    const worker = new ScriptedWorker([() => Promise.reject(new Error('broker down'))], 1, lock);
    jest.spyOn(worker['logger'], 'warn').mockImplementation(() => undefined);
    worker.start();
    await until(() => leadership.holds >= 3);
    expect(worker.rounds).toBe(0);

    leadership.leads = true;
    await until(() => worker.rounds >= 3);
    expect(leadership.releases).toBe(1);
    await worker.stop();
    expect(leadership.releases).toBe(2);
  });
});
