import type { CreateOrderRequest } from '@fapiao/contracts';
import { METRICS_PORT_OFFSET } from '@fapiao/platform/config';
import { fetchToken, type Suite } from './suite';

/** Where a service started by the suite serves /metrics: its own port, the HTTP port + METRICS_PORT_OFFSET. */
export function metricsUrlOf(serviceUrl: string): string {
  const url = new URL(serviceUrl);
  url.port = String(Number(url.port) + METRICS_PORT_OFFSET);
  url.pathname = '/metrics';
  return url.toString();
}

/** The request body of the example: one line of software development services at 6 %. */
export const sampleOrder = (
  externalId: string,
  overrides: Partial<CreateOrderRequest> = {},
): CreateOrderRequest => ({
  externalId,
  invoiceType: 'normal',
  buyer: { name: '深圳市腾讯计算机系统有限公司', taxId: '91440300708461136T' },
  lines: [
    {
      name: '*信息技术服务*软件开发服务',
      taxCode: '3040201010000000000',
      quantity: '1',
      unitPrice: '1000.00',
      taxRate: '0.06',
      priceIncludesTax: true,
    },
  ],
  ...overrides,
});

/** A small client of the running suite's public APIs, with the demo tenant's token. */
export class SuiteApi {
  private constructor(
    private readonly suite: Suite,
    private readonly token: string,
  ) {}

  static async connect(suite: Suite): Promise<SuiteApi> {
    return new SuiteApi(suite, await fetchToken(SuiteApi.urlOf(suite, 'auth'), suite.credentials));
  }

  static urlOf(suite: Suite, service: string): string {
    const found = suite.running.find((running) => running.service.name === service);
    if (!found) throw new Error(`${service} is not running`);
    return found.url;
  }

  url(service: string): string {
    return SuiteApi.urlOf(this.suite, service);
  }

  async request<T = unknown>(
    service: string,
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${this.url(service)}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', ...init.headers },
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: response.headers,
    };
  }

  placeOrder(body: CreateOrderRequest, idempotencyKey: string) {
    return this.request<{ id: string; status: string }>('order', '/v1/orders', {
      method: 'POST',
      headers: { 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
  }

  async order(id: string) {
    return (
      await this.request<{ id: string; status: string; invoiceId: string | null; rejection: unknown }>(
        'order',
        `/v1/orders/${id}`,
      )
    ).body;
  }
}
