import type { Envelope } from '@fapiao/contracts';
import { Order } from '../../domain/order';
import type { OrderRepository } from '../../domain/order.repository';
import { TrackInvoiceConsumer } from './track-invoice.consumer';

const OWNER = 'tenant-a';

function setUp() {
  const order = Order.place({
    id: 'order-1',
    tenantId: OWNER,
    sellerTaxId: '91440300708461136T',
    request: {
      externalId: 'ERP-1',
      invoiceType: 'normal',
      buyer: { name: '买方' },
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
    },
    now: new Date(),
  });
  // Tenant-scoped like the real repository: another tenant finds nothing.
  const orders = {
    findById: jest.fn(async (tenantId: string, id: string) =>
      tenantId === OWNER && id === order.id ? order : null,
    ),
    tenantOf: jest.fn(async (id: string) => (id === order.id ? OWNER : null)),
    save: jest.fn(async () => undefined),
  };
  return { order, orders, consumer: new TrackInvoiceConsumer(orders as unknown as OrderRepository) };
}

const drafted = (tenantId: string, orderId: string) =>
  ({
    id: 'm-1',
    type: 'InvoiceDrafted',
    version: 1,
    occurredAt: new Date().toISOString(),
    tenantId,
    key: 'invoice-1',
    causationId: null,
    correlationId: 'c-1',
    payload: {
      invoiceId: 'invoice-1',
      orderId,
      totals: { net: '943.40', tax: '56.60', gross: '1000.00' },
    },
  }) as Envelope<{ invoiceId: string; orderId: string; totals: { net: string; tax: string; gross: string } }>;

describe('TrackInvoiceConsumer: the envelope’s tenant must own the order', () => {
  it("refuses an invoice event for another tenant's order (ORDER.TENANT_MISMATCH, poison) and changes nothing", async () => {
    const { consumer, order, orders } = setUp();
    const status = order.status;
    await expect(consumer.drafted(drafted('tenant-b', order.id) as never)).rejects.toMatchObject({
      code: 'ORDER.TENANT_MISMATCH',
      kind: 'forbidden',
    });
    expect(order.status).toBe(status);
    expect(orders.save).not.toHaveBeenCalled();
  });

  it("applies the owner's event, and ignores one for an order that does not exist", async () => {
    const { consumer, order, orders } = setUp();
    await consumer.drafted(drafted(OWNER, order.id) as never);
    expect(orders.save).toHaveBeenCalledWith(order);
    await expect(consumer.drafted(drafted('tenant-b', 'no-such-order') as never)).resolves.toBeUndefined();
  });
});
