import { OrderRepository } from '../domain/order.repository';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderEntity } from './order.entity';
import { TypeOrmOrderRepository } from './typeorm-order.repository';

/** order's tables and the adapters bound to its repository ports. */
export const ORDER_ENTITIES = [OrderEntity, IdempotencyKeyEntity];

export const ORDER_REPOSITORIES = [{ provide: OrderRepository, useClass: TypeOrmOrderRepository }];
