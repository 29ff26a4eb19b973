import { HEADERS } from '@fapiao/contracts';
import { identify, MASK, maskPersonalData, redriveHeaders } from './dead-letter.model';

describe('identify', () => {
  it('reads the envelope id, type and tenant of a dead letter', () => {
    const value = JSON.stringify({ id: 'm-1', type: 'InvoiceRequested', tenantId: 't-1', payload: {} });
    expect(identify(value)).toEqual({ messageId: 'm-1', messageType: 'InvoiceRequested', tenantId: 't-1' });
  });

  it.each([
    ['not JSON', 'not json'],
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['no value', undefined],
  ])('knows nothing of %s', (_what, value) => {
    expect(identify(value)).toEqual({ messageId: null, messageType: null, tenantId: null });
  });

  it('drops fields that are not strings or longer than their columns', () => {
    const value = JSON.stringify({ id: 'x'.repeat(37), type: 42, tenantId: '' });
    expect(identify(value)).toEqual({ messageId: null, messageType: null, tenantId: null });
  });
});

describe('redriveHeaders', () => {
  const dead = {
    [HEADERS.type]: 'InvoiceRequested',
    [HEADERS.version]: '1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    [HEADERS.error]: 'Tenant t is not known to auth',
    [HEADERS.errorCode]: 'TENANT.UNKNOWN',
    [HEADERS.originalTopic]: 'fapiao.invoice-requests.v1.retry',
    [HEADERS.originalPartition]: '2',
    [HEADERS.originalOffset]: '17',
    [HEADERS.attempt]: '24',
    [HEADERS.notBefore]: '1764000000000',
    [HEADERS.redriveGroup]: 'fapiao-order.fapiao.invoice-requests.v1',
    [HEADERS.redriveId]: 'old-redrive',
  };

  it('keeps type, version and trace context, starts a first attempt meant for one group', () => {
    expect(redriveHeaders(dead, 'fapiao-invoice.fapiao.orders.v1', 'r-1')).toEqual({
      [HEADERS.type]: 'InvoiceRequested',
      [HEADERS.version]: '1',
      traceparent: dead.traceparent,
      [HEADERS.attempt]: '1',
      [HEADERS.redriveGroup]: 'fapiao-invoice.fapiao.orders.v1',
      [HEADERS.redriveId]: 'r-1',
    });
  });
});

describe('maskPersonalData', () => {
  const envelope = {
    id: 'm-1',
    tenantId: 't-1',
    payload: {
      requestId: 'REQ-1',
      buyer: { name: '张三', taxId: '91440300708461136T' },
      seller: { taxId: '91440300317D3K8N04' },
      contact: { phone: '13800138000', email: 'a@example.com', address: '深圳市南山区' },
      bankAccount: '6222020200112233445',
      lines: [{ name: '*信息技术服务*软件开发服务', quantity: '1', unitPrice: '1000.00' }],
      total: 1000,
      note: null,
    },
  };

  it('masks the buyer, tax ids, contact data and bank accounts, keeping the shape and the rest', () => {
    expect(maskPersonalData(envelope)).toEqual({
      id: 'm-1',
      tenantId: 't-1',
      payload: {
        requestId: 'REQ-1',
        buyer: { name: MASK, taxId: MASK },
        seller: { taxId: MASK },
        contact: { phone: MASK, email: MASK, address: MASK },
        bankAccount: MASK,
        lines: [{ name: '*信息技术服务*软件开发服务', quantity: '1', unitPrice: '1000.00' }],
        total: 1000,
        note: null,
      },
    });
  });

  it('leaves no personal value anywhere in the output', () => {
    const text = JSON.stringify(maskPersonalData(envelope));
    for (const secret of ['张三', '91440300708461136T', '13800138000', 'a@example.com', '深圳市', '6222020'])
      expect(text).not.toContain(secret);
  });
});
