import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { OrderStatus } from '../domain/order-status';
import { OrderEntity } from './order.entity';

export interface OrderPage {
  items: OrderEntity[];
  total: number;
}

/** Port (and DI token); every query is scoped to the caller's tenant. */
export abstract class OrderRepository {
  abstract findById(tenantId: string, id: string): Promise<OrderEntity | null>;
  abstract list(
    tenantId: string,
    filter: { status?: OrderStatus; page: number; pageSize: number },
  ): Promise<OrderPage>;
}

@Injectable()
export class TypeOrmOrderRepository implements OrderRepository {
  constructor(@InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>) {}

  findById(tenantId: string, id: string) {
    return this.orders.findOneBy({ tenantId, id });
  }

  async list(tenantId: string, filter: { status?: OrderStatus; page: number; pageSize: number }) {
    const [items, total] = await this.orders.findAndCount({
      where: { tenantId, ...(filter.status ? { status: filter.status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, total };
  }
}
