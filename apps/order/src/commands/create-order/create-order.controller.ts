import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CREATE_ORDER_EXAMPLE, CreateOrderRequestSchema, type CreateOrderRequest } from '@fapiao/contracts';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiIdempotencyKey,
  ApiOkFrom,
  CurrentPrincipal,
  IdempotencyKey,
  markReplayed,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
  type Principal,
} from '@fapiao/platform/http';
import { OrderErrors } from '../../domain/order.errors';
import { IntakeBacklogGuard } from '../../intake/intake-backlog.guard';
import { OrderView, OrderViewSchema } from '../../queries/order.view';
import { CreateOrderHandler } from './create-order.handler';

@ApiTags('orders')
@Controller('v1/orders')
export class CreateOrderController {
  constructor(private readonly handler: CreateOrderHandler) {}

  @Post()
  @RequireScopes('orders:write')
  @UseGuards(IntakeBacklogGuard)
  @ApiIdempotencyKey(true, 'Same key + same body replays the response')
  @ApiOperation({
    summary: 'Place an order to be invoiced',
    description:
      'Answers 201 with the order, which is then invoiced asynchronously (follow it with GET /v1/orders/{id}). ' +
      'A replay — same Idempotency-Key and same body — answers 201 with the first response and the header ' +
      '`Idempotent-Replayed: true`. An order that could never be invoiced (a rate outside the table, a USCC ' +
      'with a wrong check character, a control or bidirectional formatting character in a name, …) is ' +
      'refused with 422 ORDER.NOT_INVOICEABLE listing every failing field and its code (the first 50), the ' +
      'codes of the invoice service’s validation; nothing is stored. While more orders are in flight than the ' +
      'installation holds (ORDER_MAX_BACKLOG), 429 ORDER.BACKLOG_FULL with a Retry-After; while orders arrive ' +
      'faster than they can be stored (ORDER_MAX_INTAKE_WAIT_MS), 429 ORDER.INTAKE_BUSY with Retry-After: 1. ' +
      'Nothing is stored for a 429.',
  })
  @ApiBodyFrom(CreateOrderRequestSchema, { example: CREATE_ORDER_EXAMPLE })
  @ApiOkFrom(OrderViewSchema, 201, 'Created, or replayed (Idempotent-Replayed: true)')
  @ApiErrors(
    REQUEST_MALFORMED,
    requestInvalid(),
    OrderErrors.idempotencyKeyRequired(),
    OrderErrors.idempotencyKeyReused(),
    OrderErrors.notInvoiceable(),
    OrderErrors.sellerUnknown(),
    OrderErrors.backlogFull(2_000, 5),
    OrderErrors.intakeBusy(240),
  )
  async create(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey({ required: true, invalid: OrderErrors.idempotencyKeyRequired }) key: string,
    @Body(new ZodValidationPipe(CreateOrderRequestSchema)) body: CreateOrderRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    if (!principal.sellerTaxId) throw OrderErrors.sellerUnknown();
    const { order, replayed } = await this.handler.execute({
      tenantId: principal.tenantId,
      sellerTaxId: principal.sellerTaxId,
      idempotencyKey: key,
      request: body,
    });
    response.status(201);
    if (replayed) markReplayed(response);
    return order;
  }
}
