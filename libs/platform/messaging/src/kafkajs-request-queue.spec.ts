import { createRequire } from 'node:module';

// kafkajs 2.2.4 as published arms a 1 ms timer per broker connection after every response, forever: at idle
// that was half of each service's CPU (docs/benchmarks.md, session 12). patches/kafkajs+2.2.4.patch fixes it;
// this guards that `npm ci` applied it and that throttling still gets its check.
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}
type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueue;
const RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue') as RequestQueueClass;

const logger = {
  debug: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  error: () => undefined,
};
const queue = () =>
  new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: { namespace: () => logger },
    isConnected: () => true,
  });

describe('kafkajs request queue (patched)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('arms no timer when nothing is pending (a response arrived, the queue is idle)', () => {
    queue().checkPendingRequests();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('checks a pending request again when the broker-requested throttle ends', () => {
    const throttled = queue();
    throttled.throttledUntil = Date.now() + 250;
    throttled.pending.push({});
    throttled.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
  });
});
