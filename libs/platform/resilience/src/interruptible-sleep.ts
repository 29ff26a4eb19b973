/**
 * The idle wait of a polling loop that new work can cut short: `sleep(ms)` resolves after `ms`, or as soon
 * as `wake()` is called (a commit, a new submission, shutdown). A wake while the loop is busy is kept: its
 * next sleep ends at once, so work that arrived during a round is never left for the poll interval.
 */
export class InterruptibleSleep {
  private wakeCurrent?: () => void;
  private wokenWhileAwake = false;

  sleep(ms: number): Promise<void> {
    if (this.wokenWhileAwake) {
      this.wokenWhileAwake = false;
      return Promise.resolve();
    }
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
    if (this.wakeCurrent) this.wakeCurrent();
    else this.wokenWhileAwake = true;
  }
}
