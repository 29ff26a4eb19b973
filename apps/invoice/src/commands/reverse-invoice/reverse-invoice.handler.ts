import { Injectable } from '@nestjs/common';
import type { ReverseInvoiceRequest } from '@fapiao/contracts';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { ReversalView } from '../../queries/reversal.view';
import { ReversalProcess } from '../../reversal/reversal.process';

export interface ReverseInvoiceCommand {
  tenantId: string;
  invoiceId: string;
  idempotencyKey?: string;
  request: ReverseInvoiceRequest;
}

@Injectable()
export class ReverseInvoiceHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly process: ReversalProcess,
  ) {}

  /** One unit of work: the reversal, its command and its saga commit together. */
  async execute(command: ReverseInvoiceCommand): Promise<{ reversal: ReversalView; replayed: boolean }> {
    const { reversal, replayed } = await this.unitOfWork.run(() => this.process.request(command));
    return { reversal: ReversalView.from(reversal), replayed };
  }
}
