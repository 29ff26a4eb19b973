import { InvoiceRepository } from '../domain/invoice.repository';
import { ReversalRepository } from '../domain/reversal.repository';
import { TypeOrmInvoiceRepository } from './typeorm-invoice.repository';
import { TypeOrmReversalRepository } from './typeorm-reversal.repository';

/** The adapters bound to invoice's repository ports. */
export const INVOICE_REPOSITORIES = [
  { provide: InvoiceRepository, useClass: TypeOrmInvoiceRepository },
  { provide: ReversalRepository, useClass: TypeOrmReversalRepository },
];
