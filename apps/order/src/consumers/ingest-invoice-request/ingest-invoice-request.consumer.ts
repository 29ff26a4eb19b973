import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InvoiceRequested, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { onMessage, TenantDirectory } from '@fapiao/platform/messaging';
import { CreateOrderHandler } from '../../commands/create-order/create-order.handler';

/**
 * Internal systems request invoices over Kafka: the same intake as `POST /v1/orders`, deduplicated by the
 * producer's request id, for a tenant auth knows (the message's tenant is validated, never trusted).
 */
@Controller()
export class IngestInvoiceRequestConsumer {
  constructor(
    private readonly createOrder: CreateOrderHandler,
    private readonly tenants: TenantDirectory,
  ) {}

  @EventPattern(onMessage(InvoiceRequested))
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceRequested>>) {
    const tenant = await this.tenants.get(envelope.tenantId);
    const { requestId, ...request } = envelope.payload;
    await this.createOrder.executeEnlisted({
      tenantId: tenant.id,
      sellerTaxId: tenant.sellerTaxId,
      idempotencyKey: `request:${requestId}`,
      request,
      causedBy: envelope,
    });
  }
}
