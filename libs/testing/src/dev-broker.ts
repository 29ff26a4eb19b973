/**
 * Fault injection on the dev Kafka broker (tools/dev-broker) from tests: a client of the HTTP control
 * interface whose address the Jest global setup puts in DEV_BROKER_CONTROL_URL.
 */

export interface DevBrokerState {
  bootstrap: string;
  controlUrl: string;
  partitions: number;
  topics: string[];
  brokers: { id: number; up: boolean; rttMs: number }[];
}

export interface DevBrokerControl {
  readonly url: string;
  state(): Promise<DevBrokerState>;
  /** Closes the broker's connections and refuses new ones (no leader change). -1: every broker. */
  brokerDown(id: number): Promise<void>;
  brokerUp(id: number): Promise<void>;
  /** Delays every response of the broker by `ms`. 0 removes the delay. */
  setRtt(id: number, ms: number): Promise<void>;
  /** The next `errors.length` requests with this Kafka API key (0 = Produce, 1 = Fetch...) fail, one code each. */
  pushErrors(apiKey: number, errors: number[]): Promise<void>;
  clearErrors(apiKey: number): Promise<void>;
  /** Every broker up, no added latency, no queued request errors: for afterEach of fault tests. */
  reset(): Promise<void>;
  /** Creates a topic: the mock has no CreateTopics API (auto-created topics get 4 partitions). */
  createTopic(name: string, partitions?: number): Promise<void>;
  /** Metadata reports the topic with this error code; 0 clears it. */
  setTopicError(topic: string, code: number): Promise<void>;
}

export function devBrokerControl(url = process.env['DEV_BROKER_CONTROL_URL']): DevBrokerControl {
  if (!url) {
    throw new Error(
      'DEV_BROKER_CONTROL_URL is not set: fault injection needs the dev broker of the Jest global setup',
    );
  }
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const result = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`dev broker ${method} ${path}: ${result.error ?? response.status}`);
    return result;
  };
  const post = (path: string, body?: unknown) => call<unknown>('POST', path, body).then(() => undefined);
  return {
    url,
    state: () => call<DevBrokerState>('GET', '/'),
    brokerDown: (id) => post(`/brokers/${id}/down`),
    brokerUp: (id) => post(`/brokers/${id}/up`),
    setRtt: (id, ms) => post(`/brokers/${id}/rtt`, { ms }),
    pushErrors: (apiKey, errors) => post('/errors', { apiKey, errors }),
    clearErrors: (apiKey) => call<unknown>('DELETE', `/errors/${apiKey}`).then(() => undefined),
    reset: () => post('/reset'),
    createTopic: (name, partitions) => post('/topics', { name, partitions }),
    setTopicError: (topic, code) => post(`/topics/${encodeURIComponent(topic)}/error`, { code }),
  };
}
