import { DomainError, type CreateOrderRequest } from '@fapiao/contracts';
import type { OutboxWriter } from '@fapiao/platform/messaging';
import type { GroupCommit } from '@fapiao/platform/persistence';
import type { OrderRepository } from '../../domain/order.repository';
import type { OrderConfig } from '../../order.config';
import { CreateOrderHandler, type CreateOrderCommand } from './create-order.handler';

const SELLER = '91440300708461136T';
const line = {
  name: '*信息技术服务*软件开发服务',
  taxCode: '3040201010000000000',
  quantity: '1',
  unitPrice: '1000.00',
  taxRate: '0.06',
  priceIncludesTax: true,
};
const valid: CreateOrderRequest = {
  externalId: 'ERP-1',
  invoiceType: 'special',
  buyer: { name: '北京百度网讯科技有限公司', taxId: '91110000802100433B' },
  lines: [line],
};

function setUp() {
  const groupCommit = { run: jest.fn(async (work: () => Promise<unknown>) => work()) };
  const orders = {
    reserveIdempotencyKey: jest.fn(async () => undefined),
    add: jest.fn(async () => undefined),
  };
  const outbox = { append: jest.fn(async () => undefined) };
  const handler = new CreateOrderHandler(
    orders as unknown as OrderRepository,
    outbox as unknown as OutboxWriter,
    groupCommit as unknown as GroupCommit,
    { idempotencyTtlHours: 48 } as OrderConfig,
  );
  const command = (request: CreateOrderRequest): CreateOrderCommand => ({
    tenantId: '0190a0a0-0000-7000-8000-000000000001',
    sellerTaxId: SELLER,
    idempotencyKey: 'key-1',
    request,
  });
  return { handler, command, groupCommit, orders, outbox };
}

async function refusal(run: () => Promise<unknown>): Promise<DomainError> {
  const thrown = await run().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(DomainError);
  return thrown as DomainError;
}

describe('CreateOrderHandler: what can never be invoiced is refused at intake', () => {
  it.each([
    [
      'a 7 % tax rate',
      { lines: [{ ...line, taxRate: '0.07' }] },
      'lines[0].taxRate',
      'TAX_RATE.NOT_IN_TABLE',
    ],
    [
      'a buyer USCC with a wrong check character',
      { buyer: { ...valid.buyer, taxId: '91110000802100433C' } },
      'buyer.taxId',
      'USCC.CHECKSUM',
    ],
    [
      'a control character in the buyer’s name',
      { buyer: { ...valid.buyer, name: '某公司\u0007有限' } },
      'buyer.name',
      'INPUT.FORBIDDEN_CHARACTER',
    ],
    [
      'a right-to-left override in the buyer’s name',
      { buyer: { ...valid.buyer, name: '某公司\u202e司公某' } },
      'buyer.name',
      'INPUT.FORBIDDEN_CHARACTER',
    ],
    [
      'a line feed in a line’s name',
      { lines: [{ ...line, name: '服务\n费' }] },
      'lines[0].name',
      'INPUT.FORBIDDEN_CHARACTER',
    ],
  ])(
    'refuses %s with 422 ORDER.NOT_INVOICEABLE, the field and its code, before touching the database',
    async (_what, change, field, code) => {
      const { handler, command, groupCommit, orders, outbox } = setUp();
      const error = await refusal(() => handler.execute(command({ ...valid, ...change })));
      expect(error).toMatchObject({ kind: 'validation', code: 'ORDER.NOT_INVOICEABLE', field });
      expect(error.errors).toEqual([expect.objectContaining({ code, field })]);
      expect(groupCommit.run).not.toHaveBeenCalled();
      expect(orders.reserveIdempotencyKey).not.toHaveBeenCalled();
      expect(orders.add).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();
    },
  );

  it('lists every failing field at once, the first 50 of many', async () => {
    const { handler, command } = setUp();
    const several = await refusal(() =>
      handler.execute(
        command({
          ...valid,
          buyer: { name: '某\u0000公司', taxId: '91110000802100433C' },
          lines: [line, { ...line, taxRate: '0.07' }],
        }),
      ),
    );
    expect(several.errors?.map((error) => [error.code, error.field])).toEqual([
      ['INPUT.FORBIDDEN_CHARACTER', 'buyer.name'],
      ['USCC.CHECKSUM', 'buyer.taxId'],
      ['TAX_RATE.NOT_IN_TABLE', 'lines[1].taxRate'],
    ]);
    const many = await refusal(() =>
      handler.execute(
        command({ ...valid, lines: Array.from({ length: 250 }, () => ({ ...line, taxRate: '0.07' })) }),
      ),
    );
    expect(many.errors).toHaveLength(50);
    expect(many.message).toContain('250 problems');
  });

  it('accepts an order that can be invoiced, in one unit of work', async () => {
    const { handler, command, groupCommit, orders, outbox } = setUp();
    const { order, replayed } = await handler.execute(command(valid));
    expect({ status: order.status, replayed }).toEqual({ status: 'ACCEPTED', replayed: false });
    expect(groupCommit.run).toHaveBeenCalledTimes(1);
    expect(orders.add).toHaveBeenCalledTimes(1);
    expect(outbox.append).toHaveBeenCalledTimes(1);
  });

  it('leaves internal Kafka requests to the invoice service, which rejects them with the same codes', async () => {
    const { handler, command, orders } = setUp();
    await handler.executeEnlisted(command({ ...valid, lines: [{ ...line, taxRate: '0.07' }] }));
    expect(orders.add).toHaveBeenCalledTimes(1);
  });
});
