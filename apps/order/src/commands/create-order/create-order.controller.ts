import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateOrderRequestSchema, type CreateOrderRequest } from '@fapiao/contracts';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, ZodValidationPipe, type Principal } from '@fapiao/platform/http';
import { OrderErrors } from '../../domain/order.errors';
import { OrderView } from '../../queries/order.view';
import { CreateOrderBody } from './create-order.dto';
import { CreateOrderHandler } from './create-order.handler';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class CreateOrderController {
  constructor(private readonly handler: CreateOrderHandler) {}

  @Post()
  @RequireScopes('orders:write')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Same key + same body replays the response',
  })
  @ApiBody({ type: CreateOrderBody })
  @ApiCreatedResponse({ type: OrderView })
  @ApiOkResponse({
    type: OrderView,
    description: 'Replay of an earlier request with the same key (Idempotent-Replayed: true)',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body(new ZodValidationPipe(CreateOrderRequestSchema)) body: CreateOrderRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    const key = idempotencyKey?.trim();
    if (!key || key.length > 200) throw OrderErrors.idempotencyKeyRequired();
    if (!principal.sellerTaxId) throw OrderErrors.sellerUnknown();
    const { order, replayed } = await this.handler.execute({
      tenantId: principal.tenantId,
      sellerTaxId: principal.sellerTaxId,
      idempotencyKey: key,
      request: body,
    });
    response.status(201);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return order;
  }
}
