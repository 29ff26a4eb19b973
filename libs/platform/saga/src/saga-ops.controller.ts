import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource, type EntityManager } from 'typeorm';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, ZodValidationPipe, type Principal } from '@fapiao/platform/http';
import { SagaEngine } from './saga.engine';
import { SagaErrors } from './saga.errors';
import {
  ListSagasQuerySchema,
  ResolveSagaBody,
  ResolveSagaBodySchema,
  RetrySagaBody,
  RetrySagaBodySchema,
  SagaDetailView,
  SagaIdSchema,
  SagaPageView,
  SagaView,
  type ListSagasQuery,
} from './saga-ops.dto';
import { listSagas } from './saga.store';
import { SAGA_STATES, type SagaInstance } from './saga.types';

const idPipe = new ZodValidationPipe(SagaIdSchema);

/** Operators inspect sagas of their tenant and unblock those in NEEDS_ATTENTION. */
@ApiTags('sagas')
@ApiBearerAuth()
@RequireScopes('ops:admin')
@Controller('v1/sagas')
export class SagaOpsController {
  constructor(
    private readonly engine: SagaEngine,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List sagas, most recently changed first' })
  @ApiQuery({ name: 'state', required: false, enum: SAGA_STATES })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'correlationId', required: false })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  @ApiOkResponse({ type: SagaPageView })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListSagasQuerySchema)) query: ListSagasQuery,
  ): Promise<SagaPageView> {
    const { items, total } = await listSagas(this.dataSource.manager, principal.tenantId, query);
    return {
      items: items.map((saga) => SagaView.from(saga)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One saga with its full history' })
  @ApiOkResponse({ type: SagaDetailView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
  ): Promise<SagaDetailView> {
    const manager = this.dataSource.manager;
    return this.detail(manager, await this.find(manager, principal, id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry a NEEDS_ATTENTION saga where it stopped (step or compensation), with fresh attempts',
  })
  @ApiBody({ type: RetrySagaBody, required: false })
  @ApiOkResponse({ type: SagaDetailView })
  retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(RetrySagaBodySchema)) body: RetrySagaBody | undefined,
  ): Promise<SagaDetailView> {
    return this.dataSource.transaction(async (manager) => {
      const saga = await this.find(manager, principal, id, true);
      const action = { actor: principal.clientId, note: body?.note };
      return this.detail(manager, await this.engine.retry(manager, saga, action));
    });
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a NEEDS_ATTENTION saga that was fixed by hand (RESOLVED)' })
  @ApiOkResponse({ type: SagaDetailView })
  resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Body(new ZodValidationPipe(ResolveSagaBodySchema)) body: ResolveSagaBody,
  ): Promise<SagaDetailView> {
    return this.dataSource.transaction(async (manager) => {
      const saga = await this.find(manager, principal, id, true);
      const action = { actor: principal.clientId, note: body.note };
      return this.detail(manager, await this.engine.resolve(manager, saga, action));
    });
  }

  /** Another tenant's saga is answered exactly like a missing one. */
  private async find(
    manager: EntityManager,
    principal: Principal,
    id: string,
    forUpdate = false,
  ): Promise<SagaInstance> {
    const saga = await this.engine.load(manager, id, { forUpdate });
    if (!saga || saga.tenantId !== principal.tenantId) throw SagaErrors.notFound(id);
    return saga;
  }

  private async detail(manager: EntityManager, saga: SagaInstance): Promise<SagaDetailView> {
    return SagaDetailView.withHistory(saga, await this.engine.history(manager, saga.id));
  }
}
