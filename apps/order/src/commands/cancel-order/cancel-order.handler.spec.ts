import { DomainError, type CreateOrderRequest } from '@fapiao/contracts';
import type { OutboxWriter } from '@fapiao/platform/messaging';
import type { UnitOfWork } from '@fapiao/platform/persistence';
import { Order } from '../../domain/order';
import type { OrderStatus } from '../../domain/order-status';
import type { OrderRepository } from '../../domain/order.repository';
import { CancelOrderHandler } from './cancel-order.handler';

const request: CreateOrderRequest = {
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
};

function setUp(status: OrderStatus) {
  const placed = Order.place({
    id: 'order-1',
    tenantId: 'tenant-1',
    sellerTaxId: 'seller',
    request,
    now: new Date(),
  });
  const order = Order.restore({ ...placed.toProps(), status });
  const orders = { findById: jest.fn(async () => order), save: jest.fn(async () => undefined) };
  const outbox = { append: jest.fn(async () => undefined) };
  const unitOfWork = { run: jest.fn(async (work: () => Promise<unknown>) => work()) };
  const handler = new CancelOrderHandler(
    orders as unknown as OrderRepository,
    outbox as unknown as OutboxWriter,
    unitOfWork as unknown as UnitOfWork,
  );
  return { handler, order, orders, outbox };
}

describe('CancelOrderHandler: reversing takes invoices:reverse', () => {
  it.each(['INVOICED', 'PARTIALLY_REVERSED'] as const)(
    'refuses to cancel a %s order for a caller without it (403 ORDER.REVERSAL_NOT_PERMITTED), changing nothing',
    async (status) => {
      const { handler, order, orders, outbox } = setUp(status);
      const thrown = await handler
        .execute('tenant-1', 'order-1', '02', false)
        .catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ kind: 'forbidden', code: 'ORDER.REVERSAL_NOT_PERMITTED' });
      expect(order.status).toBe(status);
      expect(orders.save).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();
    },
  );

  it('cancels an invoiced order, reversing it, for a caller who holds it', async () => {
    const { handler, outbox } = setUp('INVOICED');
    await expect(handler.execute('tenant-1', 'order-1', '03', true)).resolves.toMatchObject({
      status: 'CANCELLING',
    });
    expect(outbox.append).toHaveBeenCalledTimes(1);
  });

  it('cancels what has nothing to reverse with orders:write alone', async () => {
    const { handler } = setUp('INVOICE_REJECTED');
    await expect(handler.execute('tenant-1', 'order-1', undefined, false)).resolves.toMatchObject({
      status: 'CANCELLED',
    });
  });
});
