/**
 * The invoice repository against the real MariaDB: new invoices are written at commit in one statement per
 * table, yet a unit of work finds and changes its own new invoices; a batch's invoices are read ahead once.
 */
import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { createTestDatabase, fullScansOf, statementsOf, type TestDatabase } from '@fapiao/testing';
import { Invoice } from '../domain/invoice';
import { INVOICE_SCHEMA } from '../schema';
import { TypeOrmInvoiceRepository } from './typeorm-invoice.repository';

jest.setTimeout(60_000);

const TENANT = '0190a0a0-0000-7000-8000-000000000001';

const submitted = (orderId = randomUUID(), tenantId = TENANT) =>
  Invoice.submit({
    id: randomUUID(),
    tenantId,
    orderId,
    invoiceType: 'normal',
    sellerTaxId: '91440300708461136T',
    buyer: { name: '买方', taxId: null },
    now: new Date(),
    totals: { net: '100.00', tax: '6.00', gross: '106.00' },
    uppercaseGross: '壹佰零陆圆整',
    lines: [1, 2].map((lineNo) => ({
      lineNo,
      name: '*信息技术服务*软件开发服务',
      taxCode: '3040201010000000000',
      quantity: '1',
      unitPrice: '50.00',
      taxRate: '0.06',
      priceIncludesTax: false,
      net: '50.00',
      tax: '3.00',
      gross: '53.00',
    })),
  });

describe('TypeOrmInvoiceRepository (MySQL)', () => {
  let db: TestDatabase;
  let unitOfWork: UnitOfWork;
  let invoices: TypeOrmInvoiceRepository;

  beforeAll(async () => {
    db = await createTestDatabase(INVOICE_SCHEMA, 'it_invoice_');
    unitOfWork = new UnitOfWork(db.dataSource);
    invoices = new TypeOrmInvoiceRepository(unitOfWork);
  });
  afterAll(() => db?.drop());
  const inserts = (sent: readonly string[], table: string) =>
    sent.filter((sql) => sql.startsWith(`INSERT INTO \`${table}\``));

  it("writes a unit of work's new invoices and their lines in one statement per table, at commit", async () => {
    const added = [submitted(), submitted(), submitted()];
    const sent = await statementsOf((sending) =>
      unitOfWork.run(async () => {
        for (const invoice of added) await invoices.add(invoice);
        expect(inserts(sending, 'invoices')).toHaveLength(0);
      }),
    );
    expect(inserts(sent, 'invoices')).toHaveLength(1);
    expect(inserts(sent, 'invoice_lines')).toHaveLength(1);
    for (const invoice of added) {
      const found = await invoices.findById(TENANT, invoice.id);
      expect(found?.snapshot()).toMatchObject({ status: 'SUBMITTED', orderId: invoice.orderId });
      expect(found?.lines.map((line) => line.lineNo)).toEqual([1, 2]);
    }
  });

  it('finds, and changes, an invoice added earlier in the same unit of work', async () => {
    const invoice = submitted();
    await unitOfWork.run(async () => {
      await invoices.add(invoice);
      const again = await invoices.findByOrder(TENANT, invoice.orderId); // a second OrderPlaced in the batch
      if (!again) throw new Error('the invoice added in this unit of work was not found');
      expect(again.id).toBe(invoice.id);
      expect(again.issue({ number: '26442000000000000001', issuedAt: new Date(), fileRef: 'f' })).toBe(true);
      await invoices.save(again);
    });
    expect((await invoices.findById(TENANT, invoice.id))?.snapshot()).toMatchObject({
      status: 'ISSUED',
      number: '26442000000000000001',
      version: 2,
    });
  });

  it("reads a batch's invoices ahead in one go: each first read takes its own, absent ones too", async () => {
    const existing = submitted();
    await unitOfWork.run(() => invoices.add(existing));
    const newOrder = randomUUID();
    await statementsOf((sent) =>
      unitOfWork.run(async () => {
        await invoices.loadAhead({
          ids: [{ tenantId: TENANT, id: existing.id }],
          orders: [{ tenantId: TENANT, orderId: newOrder }],
        });
        const loaded = sent.length;
        expect((await invoices.findById(TENANT, existing.id))?.id).toBe(existing.id);
        expect(await invoices.findByOrder(TENANT, newOrder)).toBeNull();
        expect(sent).toHaveLength(loaded); // both answered from what was read ahead
        expect((await invoices.findById(TENANT, existing.id))?.id).toBe(existing.id); // read again
        expect(sent.length).toBeGreaterThan(loaded);
      }),
    );
  });

  it("reads a batch's invoices by index, however many invoices the table holds", async () => {
    const others = Array.from({ length: 300 }, (_, i) =>
      submitted(randomUUID(), `0190a0a0-0000-7000-8000-${String(i % 3).padStart(12, '0')}`),
    );
    await unitOfWork.run(async () => {
      for (const invoice of others) await invoices.add(invoice);
    });
    const existing = submitted();
    await unitOfWork.run(() => invoices.add(existing));
    const scans = await fullScansOf(db.dataSource, () =>
      unitOfWork.run(async () => {
        await invoices.loadAhead({
          ids: [{ tenantId: TENANT, id: existing.id }],
          orders: [existing, submitted()].map(({ orderId }) => ({ tenantId: TENANT, orderId })),
        });
        expect((await invoices.findByOrder(TENANT, existing.orderId))?.id).toBe(existing.id);
        await invoices.lockByOrder(TENANT, existing.orderId);
      }),
    );
    expect(scans).toEqual([]);
  });

  it("writes a unit of work's saved invoices in one statement at commit, and reads them back as saved", async () => {
    const existing = [submitted(), submitted(), submitted()];
    await unitOfWork.run(async () => {
      for (const invoice of existing) await invoices.add(invoice);
    });
    const issued = (n: number) => ({ number: `2644200000000000010${n}`, issuedAt: new Date(), fileRef: 'f' });
    const sent = await statementsOf((sending) =>
      unitOfWork.run(async () => {
        await invoices.loadAhead({ ids: existing.map(({ id }) => ({ tenantId: TENANT, id })) });
        for (const [n, { id }] of existing.entries()) {
          const invoice = await invoices.findById(TENANT, id);
          invoice?.issue(issued(n));
          if (invoice) await invoices.save(invoice);
        }
        expect(sending.filter((sql) => sql.startsWith('UPDATE'))).toHaveLength(0);
        // A read of invoices sees what this unit of work saved.
        expect((await invoices.findById(TENANT, existing[0].id))?.snapshot().status).toBe('ISSUED');
      }),
    );
    expect(sent.filter((sql) => sql.startsWith('UPDATE `invoices`'))).toHaveLength(1);
    for (const [n, { id }] of existing.entries())
      expect((await invoices.findById(TENANT, id))?.snapshot()).toMatchObject({
        status: 'ISSUED',
        number: issued(n).number,
        version: 2,
      });
  });
});
