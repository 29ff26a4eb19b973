import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReverseInvoiceRequest } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { InvoiceErrors } from '../../domain/invoice.errors';
import { ReversalErrors } from '../../domain/reversal.errors';
import type { ReversalScope } from '../../domain/reversal-plan';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';
import { ReversalRepository } from '../../infrastructure/reversal.repository';
import { ReversalView } from '../../queries/reversal.view';
import { ReversalStarter } from '../../saga/reversal-starter';

export interface ReverseInvoiceCommand {
  tenantId: string;
  invoiceId: string;
  idempotencyKey?: string;
  request: ReverseInvoiceRequest;
}

@Injectable()
export class ReverseInvoiceHandler {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly reversals: ReversalRepository,
    private readonly starter: ReversalStarter,
    private readonly outbox: OutboxWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Starts a reversal under the invoice's row lock, so concurrent requests are planned one after the other
   * against what the earlier ones took. The same Idempotency-Key with the same request answers the reversal
   * it started.
   */
  async execute(command: ReverseInvoiceCommand): Promise<{ reversal: ReversalView; replayed: boolean }> {
    const { tenantId, invoiceId, idempotencyKey, request } = command;
    const scope: ReversalScope = request.lines ?? 'full';
    const result = await this.dataSource.transaction(async (manager) => {
      const invoice = await this.invoices.lock(manager, tenantId, invoiceId);
      if (!invoice) throw InvoiceErrors.notFound(invoiceId);
      if (idempotencyKey) {
        const earlier = await this.reversals.findByIdempotencyKey(manager, tenantId, idempotencyKey);
        if (earlier) {
          const same =
            earlier.invoiceId === invoiceId &&
            earlier.reasonCode === request.reasonCode &&
            earlier.scope === JSON.stringify(scope);
          if (!same) throw ReversalErrors.idempotencyKeyReused();
          return { reversal: earlier, replayed: true };
        }
      }
      const reversal = await this.starter.start(manager, {
        invoice,
        scope,
        reasonCode: request.reasonCode,
        cause: 'request',
        idempotencyKey,
      });
      return { reversal, replayed: false };
    });
    this.outbox.notifyCommitted();
    return { reversal: ReversalView.from(result.reversal), replayed: result.replayed };
  }
}
