import { InvoiceRateLimit } from './invoice-rate-limit';

describe('InvoiceRateLimit', () => {
  it('admits single invoices like a token bucket: a second of burst, then Retry-After', () => {
    const limit = new InvoiceRateLimit(2, 0);
    expect(limit.take(0)).toEqual({ ok: true });
    expect(limit.take(0)).toEqual({ ok: true });
    expect(limit.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limit.take(500)).toEqual({ ok: true });
  });

  it('counts the invoices of a batch, refusing it whole while the bucket lacks them', () => {
    const limit = new InvoiceRateLimit(10, 0);
    expect(limit.take(0, 6)).toEqual({ ok: true });
    expect(limit.take(0, 6)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limit.take(0, 4)).toEqual({ ok: true });
    expect(limit.take(0, 1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limit.take(600, 6)).toEqual({ ok: true });
  });

  it('admits a batch larger than the burst on a full bucket, and makes later requests wait out the debt', () => {
    const limit = new InvoiceRateLimit(1, 0);
    expect(limit.take(0, 10)).toEqual({ ok: true });
    expect(limit.take(1_000)).toEqual({ ok: false, retryAfterSeconds: 9 });
    expect(limit.take(9_999)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limit.take(10_100)).toEqual({ ok: true });
  });
});
