/**
 * The idle wait of a polling loop that new work can cut short: `sleep(ms)` resolves after `ms`, or as soon
 * as `wake()` is called (a commit, a new submission, shutdown).
 */
export class InterruptibleSleep {
  private wakeCurrent?: () => void;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeCurrent === done) this.wakeCurrent = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeCurrent = done;
    });
  }

  wake(): void {
    this.wakeCurrent?.();
  }
}
