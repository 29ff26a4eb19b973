import { upstreamUrl, type Upstream } from './proxy';

const BASES: Record<Upstream, string> = {
  auth: 'http://auth:3001',
  order: 'http://order:3002/',
  invoice: 'http://invoice:3003',
  'tax-bridge': 'http://tax-bridge:3004',
  reconciliation: 'http://recon:3005',
};

describe('upstreamUrl', () => {
  it('maps /api/<service>/<path>?query to the service, query kept', () => {
    expect(upstreamUrl('/api/invoice/v1/sagas?state=NEEDS_ATTENTION', BASES)).toBe(
      'http://invoice:3003/v1/sagas?state=NEEDS_ATTENTION',
    );
    expect(upstreamUrl('/api/order/v1/orders/1', BASES)).toBe('http://order:3002/v1/orders/1');
    expect(upstreamUrl('/api/tax-bridge/v1/authority/status', BASES)).toBe(
      'http://tax-bridge:3004/v1/authority/status',
    );
  });

  it('refuses what names no service, and paths climbing out of it', () => {
    expect(upstreamUrl('/api/tax-authority-sim/v1/faults', BASES)).toBeNull();
    expect(upstreamUrl('/api/invoice', BASES)).toBeNull();
    expect(upstreamUrl('/api/order/../internal/v1/tenants/x', BASES)).toBeNull();
    expect(upstreamUrl('/api/order/v1/%2E%2E/x', BASES)).toBeNull();
    expect(upstreamUrl('/index.html', BASES)).toBeNull();
    expect(upstreamUrl('/api/auth/internal/v1/tenants/x', BASES)).toBeNull();
    expect(upstreamUrl('/api/order/metrics', BASES)).toBeNull();
    expect(upstreamUrl('/api/auth/oauth/token', BASES)).toBe('http://auth:3001/oauth/token');
  });
});
