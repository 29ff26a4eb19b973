import type { InvoiceIssuedByAuthority, MessageOf } from '@fapiao/contracts';
import type { OutboxWriter, TenantDirectory } from '@fapiao/platform/messaging';
import type { Clock } from '@fapiao/platform/resilience';
import type { SagaEngine, SagaInstance } from '@fapiao/platform/saga';
import { Invoice } from '../domain/invoice';
import type { InvoiceRepository } from '../domain/invoice.repository';
import type { InvoiceConfig } from '../invoice.config';
import type { ReversalProcess } from '../reversal/reversal.process';
import { IssuanceProcess } from './issuance.process';

const TENANT = '0193a6f0-0000-7000-8000-0000000000aa';
const NUMBER = '26312000000000000001';

const issuedInvoice = () => {
  const invoice = Invoice.submit({
    id: '0193a6f0-0000-7000-8000-000000000001',
    tenantId: TENANT,
    orderId: '0193a6f0-0000-7000-8000-000000000002',
    invoiceType: 'normal',
    sellerTaxId: '91310000MA1K000001',
    buyer: { name: '上海某某有限公司', taxId: null },
    now: new Date('2026-11-11T00:00:00Z'),
    lines: [
      {
        lineNo: 1,
        name: '*信息技术服务*软件服务费',
        taxCode: '3040201010000000000',
        quantity: '1',
        unitPrice: '1000.00',
        taxRate: '0.06',
        priceIncludesTax: true,
        net: '943.40',
        tax: '56.60',
        gross: '1000.00',
      },
    ],
    totals: { net: '943.40', tax: '56.60', gross: '1000.00' },
    uppercaseGross: '壹仟圆整',
  });
  invoice.issue({ number: NUMBER, issuedAt: new Date(), fileRef: 'f' });
  invoice.saved(2);
  return invoice;
};

function setUp(sagaState: SagaInstance<unknown>['state']) {
  const invoice = issuedInvoice();
  const saga = { id: invoice.id, tenantId: TENANT, state: sagaState } as SagaInstance<unknown>;
  const declared = { lock: jest.fn(async () => saga), complete: jest.fn(async () => saga) };
  const engine = { declare: () => declared } as unknown as SagaEngine;
  const invoices = { findById: jest.fn(async () => invoice), save: jest.fn() };
  const outbox = { append: jest.fn() };
  const process = new IssuanceProcess(
    engine,
    invoices as unknown as InvoiceRepository,
    outbox as unknown as OutboxWriter,
    {} as Clock,
    { reverseIfCancelled: jest.fn() } as unknown as ReversalProcess,
    {} as TenantDirectory,
    {} as InvoiceConfig,
  );
  const outcome = {
    id: '0193a6f0-0000-7000-8000-0000000000ff',
    tenantId: TENANT,
    payload: { invoiceId: invoice.id, number: NUMBER, issuedAt: new Date().toISOString(), fileRef: 'f' },
  } as unknown as MessageOf<typeof InvoiceIssuedByAuthority>;
  return { process, declared, invoices, outbox, outcome };
}

describe('IssuanceProcess.issued', () => {
  it('completes a running saga whose invoice was issued before (an operator retried it meanwhile)', async () => {
    const { process, declared, invoices, outbox, outcome } = setUp('RUNNING');
    await process.issued(outcome);
    expect(declared.complete).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'RUNNING' }),
      `ISSUED ${NUMBER}`,
    );
    // Nothing is issued or announced twice.
    expect(invoices.save).not.toHaveBeenCalled();
    expect(outbox.append).not.toHaveBeenCalled();
  });

  it('changes nothing on a redelivery once the saga has completed', async () => {
    const { process, declared, invoices, outbox, outcome } = setUp('COMPLETED');
    await process.issued(outcome);
    expect(declared.complete).not.toHaveBeenCalled();
    expect(invoices.save).not.toHaveBeenCalled();
    expect(outbox.append).not.toHaveBeenCalled();
  });
});
