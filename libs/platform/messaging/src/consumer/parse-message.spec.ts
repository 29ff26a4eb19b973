import { randomUUID } from 'node:crypto';
import { OrderCancelled } from '@fapiao/contracts';
import { parseMessage } from './parse-message';

const envelope = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type: OrderCancelled.type,
  version: 1,
  occurredAt: new Date().toISOString(),
  tenantId: randomUUID(),
  key: 'k',
  causationId: null,
  correlationId: 'c',
  payload: { orderId: randomUUID() },
  ...overrides,
});
const handled = new Set([OrderCancelled.type]);

describe('parseMessage', () => {
  it('accepts a valid envelope and payload', () => {
    const parsed = parseMessage(JSON.stringify(envelope()), handled);
    expect(parsed).toMatchObject({ ok: true, contract: OrderCancelled });
  });

  it.each([
    ['not JSON', 'garbage', 'MESSAGE.NOT_JSON'],
    ['no value (tombstone)', undefined, 'MESSAGE.NOT_JSON'],
    [
      'an envelope without tenant',
      JSON.stringify(envelope({ tenantId: undefined })),
      'MESSAGE.INVALID_ENVELOPE',
    ],
    [
      'a payload that breaks its contract',
      JSON.stringify(envelope({ payload: { orderId: 'x' } })),
      'MESSAGE.INVALID_PAYLOAD',
    ],
    [
      'an unknown version of a handled type',
      JSON.stringify(envelope({ version: 9 })),
      'MESSAGE.UNSUPPORTED_VERSION',
    ],
  ])('refuses %s with a stable code and the reason', (_case, raw, code) => {
    const parsed = parseMessage(raw, handled);
    expect(parsed).toMatchObject({ ok: false, code });
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });

  it('names the offending field', () => {
    const parsed = parseMessage(JSON.stringify(envelope({ payload: { orderId: 'x' } })), handled);
    expect(!parsed.ok && parsed.reason).toMatch(/orderId/);
  });

  it('lets a type this service does not handle through unvalidated, to be skipped', () => {
    const parsed = parseMessage(JSON.stringify(envelope({ type: 'SomethingNew', payload: 42 })), handled);
    expect(parsed).toMatchObject({ ok: true, contract: undefined });
  });
});
